using System.Diagnostics;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Sessions;
using AgentCluster.Proxy.Approvals;
using AgentCluster.Proxy.Audit;
using AgentCluster.Proxy.Credentials;
using AgentCluster.Proxy.Egress;
using AgentCluster.Proxy.Egress.Addresses;
using AgentCluster.Proxy.Egress.Allowlist;
using AgentCluster.Proxy.Identity;
using AgentCluster.Proxy.Interception;
using AgentCluster.Proxy.Limits;
using Microsoft.AspNetCore.Http.Features;

namespace AgentCluster.Proxy.Forwarding;

/// <summary>
/// One plain-HTTP request through the proxy. The checks run in a fixed order, each refusing on
/// its own: identity (407), request shape (400), limits (429), allowlist and address guard (403),
/// the whole body (400/413), stub tokens (403 credential_unavailable), the approval gate (403),
/// then the forward itself. Nothing is sent
/// upstream before every check has passed. Every outcome is audited with its real reason.
/// </summary>
public sealed partial class EgressPipeline(
    SessionAuthenticator authenticator, TargetResolver resolver, SessionLimits limits, IRequestGate gate,
    StubSwap stubs, EgressForward forward, EgressAudit audit, ActivityTouches touches, EgressOptions options)
{
    public async Task Handle(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var request = context.Request;
        var raw = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        // Inside an intercepted CONNECT the target and the session are the CONNECT's, checked already.
        var intercepted = InterceptedTarget.Of(context);
        string? targetError;
        var target = intercepted is null ? AbsoluteTarget.Parse(raw, out targetError) : AbsoluteTarget.Inside(intercepted.Target, raw, out targetError);
        var trace = new Trace(request.Method, target, started);
        var credential = intercepted?.ProxyAuthorization ?? request.Headers.ProxyAuthorization;

        if (credential.Count == 0)
        {
            await Refuse(context, trace, null, 407, "proxy-auth-required", "no-credential");
            return;
        }
        var policy = await authenticator.Authenticate(credential, intercepted is null ? context.Connection.RemoteIpAddress : intercepted.Source);
        if (policy is null)
        {
            await Refuse(context, trace, null, 407, "proxy-auth-required", "bad-or-dead-credential");
            return;
        }
        if (HttpMethods.IsConnect(request.Method))
        {
            await Refuse(context, trace, policy, 405, "bad-request", "connect-through-http-pipeline");
            return;
        }
        if (target is null)
        {
            await Refuse(context, trace, policy, 400, "bad-request", "bad-target: " + targetError);
            return;
        }
        if (intercepted is not null && NameMatch.Host(intercepted.Target, request.Headers.Host) is { } mismatch)
        {
            await Refuse(context, trace, policy, 403, "denied", mismatch);
            return;
        }
        if (request.Headers.Authorization.Count > 1)
        {
            await Refuse(context, trace, policy, 400, "bad-request", "duplicate-authorization");
            return;
        }
        // RFC 9112 lets chunked win, but two framings is how requests are smuggled: refuse instead.
        // Kestrel has already renamed such a request's Content-Length to X-Content-Length.
        if (request.Headers.TransferEncoding.Count > 0
            && (request.Headers.ContainsKey("Content-Length") || request.Headers.ContainsKey("X-Content-Length")))
        {
            await Refuse(context, trace, policy, 400, "bad-request", "content-length-and-transfer-encoding");
            return;
        }

        using var slot = limits.TryEnter(policy.SessionId, out var limited);
        if (slot is null)
        {
            await Refuse(context, trace, policy, 429, "rate-limited", limited!);
            return;
        }
        if (!SessionAllowlist.Allows(policy, target.Authority))
        {
            await Refuse(context, trace, policy, 403, "denied", "not-allowlisted");
            return;
        }
        // An intercepted request goes to exactly the address its CONNECT was checked and allowed for.
        var endpoint = intercepted?.Checked;
        if (endpoint is null)
        {
            var checkedTarget = await resolver.Check(target.Authority, context.RequestAborted);
            if (checkedTarget.Endpoint is null)
            {
                await Refuse(context, trace, policy, 403, "denied", "address-" + checkedTarget.Refusal);
                return;
            }
            endpoint = checkedTarget.Endpoint;
        }
        if (await RequestBody.Buffer(context, options.MaxRequestBodyBytes) is { } bodyError)
        {
            await Refuse(context, trace, policy, bodyError.Status, "bad-request", bodyError.Reason);
            return;
        }
        var swap = await stubs.Decide(context, policy, target.Authority, raw);
        if (swap.Refusal is { } unavailable)
        {
            // One opaque answer for every stub that cannot be used; the grant grain audits its own reason too.
            await Refuse(context, trace, policy, 403, "credential_unavailable", unavailable);
            return;
        }
        if (await gate.Refusal(policy, context, target.Authority, context.RequestAborted) is { } gated)
        {
            await Refuse(context, trace, policy, 403, "denied", gated);
            return;
        }

        touches.Touch(policy.SessionId);
        var (error, bytesIn, bytesOut) = await forward.Send(context, new ForwardPlan(target, endpoint, swap.Plan));
        audit.Record(trace.Decision(policy, context.Response.StatusCode, bytesIn, bytesOut,
            error is null ? "forwarded" : "failed",
            error ?? (swap.Plan is { } plan ? "stub-swapped sha256:" + GrantTokens.HashPrefix(GrantTokens.Hash(plan.Stub)) : "")));
    }

    private async Task Refuse(HttpContext context, Trace trace, EgressPolicy? policy, int status, string code, string reason)
    {
        await ProxyResponses.Refuse(context, status, code);
        audit.Record(trace.Decision(policy, status, 0, 0, "denied", reason));
    }

    private sealed record Trace(string Method, AbsoluteTarget? Target, long Started)
    {
        public EgressDecision Decision(EgressPolicy? policy, int status, long bytesIn, long bytesOut, string decision, string reason) =>
            new(policy?.Tenant, policy?.SessionId, Method, Target?.Authority.Host ?? "", Target?.Authority.Port ?? 0,
                Target?.Path ?? "", status, bytesIn, bytesOut, Stopwatch.GetElapsedTime(Started), decision, reason);
    }
}
