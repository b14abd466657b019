using NeuroData.Infrastructure.Identity;

namespace NeuroData.Web.Accounts;

public static class HttpContextExtensions
{
    /// <summary>Client address and user agent for the security log.</summary>
    public static RequestInfo ToRequestInfo(this HttpContext? context) =>
        context is null
            ? RequestInfo.None
            : new RequestInfo(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString());
}
