// Submits the hidden Sign-In with Ethereum form (POST /Account/SiweLogin) as an ordinary form post, so the server
// can set the sign-in cookie. Loaded as a module (CSP script-src 'self': no inline script).
/**
 * @param {HTMLFormElement} form the form rendered by WalletSignIn.razor (it holds the antiforgery token)
 * @param {string} message the EIP-4361 text the wallet signed
 * @param {string} signature the wallet's signature (hex)
 */
export function submitSiwe(form, message, signature) {
  if (!(form instanceof HTMLFormElement)) {
    throw new TypeError('submitSiwe needs the sign-in form');
  }
  const set = (name, value) => {
    const input = form.elements.namedItem(name);
    if (!(input instanceof HTMLInputElement)) {
      throw new TypeError(`the sign-in form has no input ${name}`);
    }
    input.value = String(value);
  };
  set('message', message);
  set('signature', signature);
  form.submit();
}
