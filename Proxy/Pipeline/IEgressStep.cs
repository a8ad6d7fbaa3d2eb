namespace AgentCluster.Proxy.Pipeline;

/// <summary>One check of <see cref="EgressSteps"/>: null to pass, or the refusal that ends the exchange.</summary>
public interface IEgressStep
{
    ValueTask<EgressRefusal?> Check(EgressExchange exchange);
}
