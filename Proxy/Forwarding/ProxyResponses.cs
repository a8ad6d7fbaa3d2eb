using AgentCluster.Proxy.Identity;

namespace AgentCluster.Proxy.Forwarding;

/// <summary>
/// The proxy's own answers. Each carries <see cref="Header"/> so a client can tell them from the
/// upstream's; an upstream's copy of that header is dropped. The body says nothing about why.
/// </summary>
public static class ProxyResponses
{
    public const string Header = "X-AgentCluster-Egress";

    public static Task Refuse(HttpContext context, int status, string code)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }
        response.Clear();
        response.StatusCode = status;
        response.Headers[Header] = code;
        response.Headers.CacheControl = "no-store";
        if (status == StatusCodes.Status407ProxyAuthenticationRequired)
            response.Headers.ProxyAuthenticate = ProxyAuthorization.Challenge;
        response.ContentType = "text/plain; charset=utf-8";
        var body = System.Text.Encoding.UTF8.GetBytes(code + "\n");
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }
}
