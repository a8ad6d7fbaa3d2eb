namespace AgentCluster.Grains.Approvals.Classification.Http;

/// <summary><c>AgentCluster:Approvals:Http</c>: the risk of methods other than GET, HEAD and OPTIONS.</summary>
public sealed class HttpOptions
{
    /// <summary>A request no rule matches is Irreversible. When several match, the strictest wins,
    /// so a broad lenient rule cannot override a narrow strict one.</summary>
    public List<HttpRule> Rules { get; set; } = [];
}

public sealed class HttpRule
{
    /// <summary><c>api.example.com</c>, or <c>*.example.com</c> for any subdomain (not the domain itself).</summary>
    public string Host { get; set; } = "";

    /// <summary>Matches this path and everything under it, segment-wise and ignoring case:
    /// <c>/v1/refunds</c> matches <c>/v1/refunds/re_1</c> but not <c>/v1/refunds-all</c>.</summary>
    public string PathPrefix { get; set; } = "/";

    /// <summary>Upper-case methods the rule covers; empty means every method but GET, HEAD and OPTIONS.</summary>
    public List<string> Methods { get; set; } = [];

    public RiskLevel Risk { get; set; } = RiskLevel.Irreversible;
}
