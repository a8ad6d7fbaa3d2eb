using AgentCluster.Grains.Approvals.Classification.Http;
using AgentCluster.Grains.Approvals.Classification.Shell;
using AgentCluster.Grains.Approvals.Classification.Sql;

namespace AgentCluster.Grains.Approvals.Classification;

/// <summary>The <c>AgentCluster:Approvals</c> configuration section, as far as classification goes.</summary>
public sealed class ClassificationOptions
{
    public const string Section = "AgentCluster:Approvals";

    /// <summary>
    /// <c>AgentCluster:Approvals:Actions</c>: action → risk. Configuration adds to and overrides
    /// <see cref="DefaultActions"/>; it cannot remove one (an absent action is Irreversible anyway).
    /// For an action a sub-classifier reads, an entry here is a minimum on what the payload says.
    /// </summary>
    public Dictionary<string, RiskLevel> Actions { get; set; } = DefaultActions.Create();

    /// <summary>
    /// <c>AgentCluster:Approvals:TenantFloors</c>: action → the lowest risk a tenant override may
    /// set. An action not listed here can only be made stricter by a tenant. Payload-classified
    /// actions may not be listed (see <see cref="TenantOverrides"/>).
    /// </summary>
    public Dictionary<string, RiskLevel> TenantFloors { get; set; } = new(StringComparer.Ordinal);

    public SqlOptions Sql { get; set; } = new();

    public HttpOptions Http { get; set; } = new();

    public ShellOptions Shell { get; set; } = new();
}
