using AgentCluster.Grains.Credentials;
using AgentCluster.Proxy.Audit;
using AgentCluster.Proxy.Credentials;
using AgentCluster.Proxy.Egress;
using AgentCluster.Proxy.Forwarding;
using AgentCluster.Proxy.Identity;

namespace AgentCluster.Proxy.Pipeline;

/// <summary>
/// One request through Kestrel's HTTP pipeline (plain HTTP, or a request inside an intercepted
/// CONNECT): every one of <see cref="EgressSteps"/>, each refusing on its own (identity 407, shape
/// 400/405/403, limits 429, allowlist and address 403, body 400/413, stub tokens 403
/// credential_unavailable, the approval gate 403), then the forward, the last step. Every outcome
/// is audited with its real reason; a request that carries a real secret goes out only once its
/// <c>egress.forwarded</c> row is committed (<see cref="EgressOptions.DurableSwapAudit"/>).
/// </summary>
public sealed class EgressPipeline(EgressSteps steps, EgressForward forward, EgressAudit audit, ActivityTouches touches, EgressOptions options)
{
    public async Task Handle(HttpContext context)
    {
        using var exchange = HttpExchange.Of(context);
        if (!await steps.Pass(exchange))
            return;

        // Passed means shaped and checked: a missing target or address here is a bug, and nothing goes out.
        var plan = new ForwardPlan(exchange.Absolute ?? throw new InvalidOperationException("forward without a target"),
            exchange.Endpoint ?? throw new InvalidOperationException("forward without a checked address"), exchange.Swap);
        var swapped = plan.Swap is { } swap ? SwapReason(swap, plan.Target.Tls) : null;
        // A real secret leaves only once its row is on record: no audit, no secret.
        var durable = swapped is not null && options.DurableSwapAudit;
        if (durable && !await audit.RecordDurably(exchange.Decision(0, 0, 0, EgressAudit.Forwarding, swapped!)))
        {
            await ProxyResponses.Refuse(context, StatusCodes.Status503ServiceUnavailable, "unavailable");
            audit.Record(exchange.Decision(StatusCodes.Status503ServiceUnavailable, 0, 0, "failed", "audit-unavailable " + swapped));
            return;
        }
        touches.Touch(exchange.Session.SessionId);
        var (error, bytesIn, bytesOut) = await forward.Send(context, plan);
        audit.Record(exchange.Decision(context.Response.StatusCode, bytesIn, bytesOut,
            error is not null ? "failed" : durable ? EgressAudit.Completed : "forwarded", error ?? swapped ?? ""));
    }

    /// <summary>A secret that went out in clear (its secret opted in) says so in its row.</summary>
    private static string SwapReason(SwapPlan swap, bool tls) =>
        "stub-swapped sha256:" + GrantTokens.HashPrefix(GrantTokens.Hash(swap.Stub)) + (tls ? "" : " plain-http");
}
