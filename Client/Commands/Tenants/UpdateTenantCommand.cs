using System.CommandLine;
using AgentCluster.Client.Errors;
using AgentCluster.Client.Output;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Commands.Tenants;

internal sealed class UpdateTenantCommand : Command
{
    private readonly Argument<string> _name = new("name") { Description = "The tenant's name." };

    private readonly Option<TimeSpan?> _approvalTimeout =
        DurationOption.Create("--approval-timeout", "How long an irreversible action waits for a decision before it is denied, e.g. 300s.");

    private readonly Option<string> _webhookUrl = new("--webhook-url")
    {
        Description = "Where new pending approvals are posted, signed (cluster admin only); \"\" removes it.",
        HelpName = "url",
    };

    private readonly Option<bool> _rotateSecret = new("--rotate-webhook-secret")
    {
        Description = "Make a new webhook signing secret (printed once).",
    };

    private readonly Option<string[]> _risks = new("--risk")
    {
        Description = "action=Reversible|RecoverableWithAudit|Irreversible; repeat for several. Replaces the tenant's overrides (within the admin's floors).",
        HelpName = "action=level",
    };

    private readonly Option<int?> _maxPending = new("--max-pending-approvals")
    {
        Description = "Approvals one session may have pending at once (1-1000, default 5); past it a new irreversible action is refused at once.",
        HelpName = "count",
    };

    private readonly Option<bool> _clearRisks = new("--clear-risks") { Description = "Remove every risk override of the tenant." };

    private readonly Option<long?> _defaultCpus =
        CpuOption.Create("--default-cpus", "CPUs a session gets when it asks for none, e.g. 0.5; at most the tenant's max cpus.");

    private readonly Option<long?> _maxCpus =
        CpuOption.Create("--max-cpus", "The most CPUs one session may ask for, at most 64 (cluster admin only).");

    public UpdateTenantCommand(CommandContext context)
        : base("update", "Change a tenant's approval and CPU settings.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_name);
        Add(_approvalTimeout);
        Add(_webhookUrl);
        Add(_rotateSecret);
        Add(_risks);
        Add(_clearRisks);
        Add(_maxPending);
        Add(_defaultCpus);
        Add(_maxCpus);
        SetAction(async (result, cancellationToken) =>
        {
            var update = new TenantUpdate(result.GetRequiredValue(_name))
            {
                ApprovalTimeout = result.GetValue(_approvalTimeout),
                WebhookUrl = result.GetValue(_webhookUrl),
                RotateWebhookSecret = result.GetValue(_rotateSecret),
                RiskOverrides = Overrides(result.GetValue(_risks) ?? [], result.GetValue(_clearRisks)),
                MaxPendingApprovals = MaxPending(result.GetValue(_maxPending)),
                DefaultNanoCpus = result.GetValue(_defaultCpus),
                MaxNanoCpus = result.GetValue(_maxCpus),
            };
            using var connection = context.Connect(result);
            var (tenant, secret) = await connection.Tenants.UpdateAsync(update, cancellationToken);
            if (secret is not null)
                context.Conceal(secret);
            context.Output(result).Write(new TenantUpdatedView(TenantView.From(tenant), secret), TenantUpdatedView.Render);
        });
    }

    private static int? MaxPending(int? count) => count is null or (>= 1 and <= 1000)
        ? count
        : throw new UsageException($"--max-pending-approvals must be between 1 and 1000, not {count}");

    private static Dictionary<string, string>? Overrides(string[] risks, bool clear)
    {
        if (clear && risks.Length > 0)
            throw new UsageException("--clear-risks and --risk cannot be combined");
        if (clear)
            return [];
        if (risks.Length == 0)
            return null;
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var risk in risks)
        {
            var parts = risk.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new UsageException($"--risk takes action=level, not '{risk}'");
            overrides[parts[0]] = parts[1];
        }
        return overrides;
    }
}
