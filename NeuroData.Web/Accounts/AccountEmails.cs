using System.Net;
using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using NeuroData.Domain.Ports;

namespace NeuroData.Web.Accounts;

/// <summary>
/// Writes and sends the account mails. Links are built from <c>NeuroData:PublicBaseUrl</c> when set (recommended in
/// production: a forged Host header then cannot redirect reset links), otherwise from the current request's base URL.
/// </summary>
public sealed class AccountEmails(IEmailSender sender, IConfiguration configuration, NavigationManager navigation)
{
    public const string PublicBaseUrlKey = "NeuroData:PublicBaseUrl";
    public const string ConfirmLinkText = "Confirm your email";

    public Task SendConfirmationAsync(string email, Guid userId, string token, CancellationToken cancellationToken = default) =>
        SendAsync(email, "Confirm your NeuroData account",
            "Welcome to NeuroData! Please confirm your email address to activate your account.",
            Link("Account/ConfirmEmail", ("userId", userId.ToString()), ("code", Encode(token))), ConfirmLinkText,
            "If you did not create this account, you can ignore this mail.", cancellationToken);

    public Task SendPasswordResetAsync(string email, string token, CancellationToken cancellationToken = default) =>
        SendAsync(email, "Reset your NeuroData password",
            "Someone (hopefully you) asked to reset the password of your NeuroData account.",
            Link("Account/ResetPassword", ("email", email), ("code", Encode(token))), "Reset your password",
            "If you did not ask for this, ignore this mail: your password stays the same.", cancellationToken);

    public Task SendChangeEmailAsync(string newEmail, Guid userId, string token, CancellationToken cancellationToken = default) =>
        SendAsync(newEmail, "Confirm your new NeuroData email address",
            "Please confirm that this is the new email address of your NeuroData account.",
            Link("Account/ConfirmEmailChange", ("userId", userId.ToString()), ("email", newEmail), ("code", Encode(token))), "Confirm your new email",
            "If you did not ask for this change, ignore this mail.", cancellationToken);

    /// <summary>Security notice to the account's (old) address: password or email changed.</summary>
    public Task SendSecurityNoticeAsync(string email, string what, CancellationToken cancellationToken = default) =>
        SendAsync(email, $"NeuroData security notice: {what}",
            $"This is a notice that the following happened on your NeuroData account: {what}.",
            Link("Account/ForgotPassword"), "Reset your password",
            "If this was you, nothing else to do. If not, reset your password now and contact support.", cancellationToken);

    /// <summary>Identity tokens are base64 with '+' and '/': encoded as base64url for a URL.</summary>
    public static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    /// <summary>The token from a link, or null when the code is not valid base64url (tampered link).</summary>
    public static string? Decode(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private string Link(string path, params (string Name, string Value)[] query)
    {
        var configured = configuration[PublicBaseUrlKey];
        var baseUri = string.IsNullOrWhiteSpace(configured) ? navigation.BaseUri : configured.TrimEnd('/') + "/";
        var url = baseUri + path;
        foreach (var (name, value) in query)
        {
            url = QueryHelpers.AddQueryString(url, name, value);
        }

        return url;
    }

    private Task SendAsync(string to, string subject, string intro, string url, string linkText, string outro, CancellationToken cancellationToken)
    {
        Func<string, string> e = s => WebUtility.HtmlEncode(s);
        var html = $"""
            <!DOCTYPE html>
            <html><body style="font-family: Roboto, Arial, sans-serif; color: #222;">
            <h2 style="color: #594ae2;">NeuroData</h2>
            <p>{e(intro)}</p>
            <p><a href="{e(url)}" style="display: inline-block; padding: 10px 18px; background: #594ae2; color: #fff; text-decoration: none; border-radius: 4px;">{e(linkText)}</a></p>
            <p style="font-size: 13px; color: #666;">Or paste this address into your browser: {e(url)}</p>
            <p style="font-size: 13px; color: #666;">{e(outro)}</p>
            </body></html>
            """;
        var text = $"{intro}\n\n{linkText}: {url}\n\n{outro}\n";
        return sender.SendAsync(new EmailMessage(to, subject, html, text), cancellationToken);
    }
}
