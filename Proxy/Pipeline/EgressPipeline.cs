using AgentCluster.Grains.Credentials;
using AgentCluster.Proxy.Audit;
using AgentCluster.Proxy.Credentials;
using AgentCluster.Proxy.Forwarding;
using AgentCluster.Proxy.Identity;

namespace AgentCluster.Proxy.Pipeline;

/// <summary>
/// One request through Kestrel's HTTP pipeline (plain HTTP, or a request inside an intercepted
/// CONNECT): every one of <see cref="EgressSteps"/>, each refusing on its own (identity 407, shape
/// 400/405/403, limits 429, allowlist and address 403, body 400/413, stub tokens 403
/// credential_unavailable, the approval gate 403), then the forward, the last step. Every outcome
/// is audited with its real reason.
/// </summary>
public sealed class EgressPipeline(EgressSteps steps, EgressForward forward, EgressAudit audit, ActivityTouches touches)
{
    public async Task Handle(HttpContext context)
    {
        using var exchange = HttpExchange.Of(context);
        if (!await steps.Pass(exchange))
            return;

        // Passed means shaped and checked: a missing target or address here is a bug, and nothing goes out.
        var plan = new ForwardPlan(exchange.Absolute ?? throw new InvalidOperationException("forward without a target"),
            exchange.Endpoint ?? throw new InvalidOperationException("forward without a checked address"), exchange.Swap);
        touches.Touch(exchange.Session.SessionId);
        var (error, bytesIn, bytesOut) = await forward.Send(context, plan);
        audit.Record(exchange.Decision(context.Response.StatusCode, bytesIn, bytesOut,
            error is null ? "forwarded" : "failed",
            error ?? (plan.Swap is { } swap ? SwapReason(swap, plan.Target.Tls) : "")));
    }

    /// <summary>A secret that went out in clear (its secret opted in) says so in its row.</summary>
    private static string SwapReason(SwapPlan swap, bool tls) =>
        "stub-swapped sha256:" + GrantTokens.HashPrefix(GrantTokens.Hash(swap.Stub)) + (tls ? "" : " plain-http");
}
