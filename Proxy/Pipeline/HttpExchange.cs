using System.Diagnostics;
using AgentCluster.Proxy.Credentials;
using AgentCluster.Proxy.Forwarding;
using AgentCluster.Proxy.Interception;
using AgentCluster.Proxy.Requests;
using Microsoft.AspNetCore.Http.Features;

namespace AgentCluster.Proxy.Pipeline;

/// <summary>
/// A request through Kestrel's HTTP pipeline: an absolute-form plain-HTTP request, or an
/// origin-form one inside an intercepted CONNECT, which takes the CONNECT's target, credential,
/// source and checked address (identity and allowlist are still checked again for each request).
/// </summary>
public sealed class HttpExchange : EgressExchange
{
    private HttpExchange(HttpContext context, string rawTarget, AbsoluteTarget? absolute, string? targetError,
        InterceptedTarget? intercepted, long started)
        : base(context.Request.Method, absolute?.Authority, absolute?.Path ?? "",
            intercepted?.ProxyAuthorization ?? context.Request.Headers.ProxyAuthorization,
            intercepted is null ? context.Connection.RemoteIpAddress : intercepted.Source, started, context.RequestAborted)
    {
        Context = context;
        RawTarget = rawTarget;
        Absolute = absolute;
        TargetError = targetError;
        Intercepted = intercepted;
        Methods = MethodOverrides.Of(context.Request.Method, context.Request.Headers, absolute?.Query ?? "");
        // An intercepted request goes to exactly the address its CONNECT was checked and allowed for.
        Endpoint = intercepted?.Checked;
    }

    public HttpContext Context { get; }

    /// <summary>The request target exactly as it came on the request line.</summary>
    public string RawTarget { get; }

    public AbsoluteTarget? Absolute { get; }

    public string? TargetError { get; }

    public InterceptedTarget? Intercepted { get; }

    /// <summary>Every method the request may be read as: its own, and the one an override header names.</summary>
    public EffectiveMethod Methods { get; }

    /// <summary>Whether the request leaves over TLS (inside an intercepted CONNECT): a real secret leaves only so, unless it opts in.</summary>
    public bool OverTls => Absolute?.Tls == true;

    /// <summary>The stub swap <see cref="Steps.CredentialStep"/> decided on; null when the request carries no stub.</summary>
    public SwapPlan? Swap { get; set; }

    public static HttpExchange Of(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var raw = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        // Inside an intercepted CONNECT the target and the session are the CONNECT's, checked already.
        var intercepted = InterceptedTarget.Of(context);
        string? error;
        var target = intercepted is null ? AbsoluteTarget.Parse(raw, out error) : AbsoluteTarget.Inside(intercepted.Target, raw, out error);
        return new HttpExchange(context, raw, target, error, intercepted, started);
    }

    public override EgressRefusal? ShapeRefusal()
    {
        var request = Context.Request;
        if (HttpMethods.IsConnect(request.Method))
            return new(StatusCodes.Status405MethodNotAllowed, "bad-request", "connect-through-http-pipeline");
        if (Absolute is null)
            return EgressRefusal.BadRequest("bad-target: " + TargetError);
        if (Intercepted is not null && NameMatch.Host(Intercepted.Target, request.Headers.Host) is { } mismatch)
            return EgressRefusal.Denied(mismatch);
        if (Methods.Error is { } method)
            return EgressRefusal.BadRequest(method);
        if (request.Headers.Authorization.Count > 1)
            return EgressRefusal.BadRequest("duplicate-authorization");
        // RFC 9112 lets chunked win, but two framings is how requests are smuggled: refuse instead.
        // Kestrel has already renamed such a request's Content-Length to X-Content-Length.
        if (request.Headers.TransferEncoding.Count > 0
            && (request.Headers.ContainsKey("Content-Length") || request.Headers.ContainsKey("X-Content-Length")))
            return EgressRefusal.BadRequest("content-length-and-transfer-encoding");
        return null;
    }

    public override Task Answer(EgressRefusal refusal) => ProxyResponses.Refuse(Context, refusal.Status, refusal.Code);
}
