namespace AgentCluster.Grains.Approvals.Classification.Shell;

/// <summary><c>AgentCluster:Approvals:Shell</c>: the commands an admin lets through without a human.</summary>
public sealed class ShellOptions
{
    /// <summary>A command no rule allows is Irreversible; when several allow it, the strictest wins.</summary>
    public List<ShellRule> Allow { get; set; } = [];
}

/// <summary>Either <see cref="Command"/> (the whole command, exactly) or <see cref="Program"/>
/// plus <see cref="Args"/> (argv[0] exactly, and every further argument one of Args).</summary>
public sealed class ShellRule
{
    public string? Command { get; set; }

    public string? Program { get; set; }

    public List<string> Args { get; set; } = [];

    public RiskLevel Risk { get; set; } = RiskLevel.Reversible;
}
