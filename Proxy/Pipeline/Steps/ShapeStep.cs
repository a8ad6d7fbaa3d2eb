namespace AgentCluster.Proxy.Pipeline.Steps;

/// <summary>
/// The request's shape (target, framing, duplicate headers; a CONNECT's head). Checked only once
/// the caller is known, so a stranger's malformed request still gets 407, and with the session
/// known, a malformed one is audited against it.
/// </summary>
public sealed class ShapeStep : IEgressStep
{
    public ValueTask<EgressRefusal?> Check(EgressExchange exchange) => ValueTask.FromResult(exchange.ShapeRefusal());
}
