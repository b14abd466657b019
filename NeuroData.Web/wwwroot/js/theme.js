// Remembers the visitor's light/dark choice in a first-party cookie the server reads when it renders a page.
const COOKIE = "nd-theme";
const ONE_YEAR_SECONDS = 60 * 60 * 24 * 365;

/**
 * @param {"dark" | "light"} mode
 */
export function setTheme(mode) {
  const value = mode === "dark" ? "dark" : "light";
  const secure = window.location.protocol === "https:" ? "; secure" : "";
  document.cookie = `${COOKIE}=${value}; path=/; max-age=${ONE_YEAR_SECONDS}; samesite=lax${secure}`;
}
