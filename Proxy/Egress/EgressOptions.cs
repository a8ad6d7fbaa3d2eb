namespace AgentCluster.Proxy.Egress;

/// <summary>The <c>AgentCluster:Egress</c> section: everything is denied unless said otherwise.</summary>
public sealed class EgressOptions
{
    public const string Section = "AgentCluster:Egress";

    /// <summary>
    /// CIDR ranges the address guard lets through although their class is refused (a test's
    /// loopback upstream, a deployment's internal registry). Empty by default. Cloud metadata
    /// addresses and the proxy itself stay refused whatever is listed here.
    /// </summary>
    public List<string> AllowedRanges { get; set; } = [];
}
