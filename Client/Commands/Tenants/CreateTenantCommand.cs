using System.CommandLine;
using AgentCluster.Client.Output;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Commands.Tenants;

internal sealed class CreateTenantCommand : Command
{
    private readonly Argument<string> _name = new("name") { Description = "The new tenant's name." };

    private readonly Option<int?> _maxSessions =
        CountOption.Create("--max-sessions", "Sessions the tenant may run at once (default: the server's).");

    private readonly Option<TimeSpan?> _maxTtl =
        DurationOption.Create("--max-ttl", "Longest session TTL, e.g. 30m or 1h30m (default: the server's).");

    private readonly Option<string[]> _allowImages = new("--allow-image")
    {
        Description = "Image pattern sessions may use; repeat for several (default: the server's).",
        HelpName = "pattern",
    };

    private readonly Option<string[]> _allowGrants = new("--allow-grant")
    {
        Description = "resource:action pattern (* for either part) its sessions' grant policy may name; repeat for several (default: *:read).",
        HelpName = "resource:action",
    };

    private readonly Option<TimeSpan?> _maxGrantTtl =
        DurationOption.Create("--max-grant-ttl", "Longest grant TTL its sessions may allow, at most 300s (default: 300s).");

    private readonly Option<long?> _defaultCpus =
        CpuOption.Create("--default-cpus", "CPUs a session gets when it asks for none, e.g. 0.5 (default: 1, or --max-cpus if less).");

    private readonly Option<long?> _maxCpus =
        CpuOption.Create("--max-cpus", "The most CPUs one session may ask for (default: 2; at most 64).");

    public CreateTenantCommand(CommandContext context)
        : base("create", "Create a tenant.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_name);
        Add(_maxSessions);
        Add(_maxTtl);
        Add(_allowImages);
        Add(_allowGrants);
        Add(_maxGrantTtl);
        Add(_defaultCpus);
        Add(_maxCpus);
        SetAction(async (result, cancellationToken) =>
        {
            var tenant = new NewTenant(result.GetRequiredValue(_name))
            {
                MaxSessions = result.GetValue(_maxSessions),
                MaxSessionTtl = result.GetValue(_maxTtl),
                AllowedImages = result.GetValue(_allowImages) ?? [],
                AllowedGrants = result.GetValue(_allowGrants) ?? [],
                MaxGrantTtl = result.GetValue(_maxGrantTtl),
                DefaultNanoCpus = result.GetValue(_defaultCpus),
                MaxNanoCpus = result.GetValue(_maxCpus),
            };
            using var connection = context.Connect(result);
            var created = await connection.Tenants.CreateAsync(tenant, cancellationToken);
            context.Output(result).Write(TenantView.From(created), TenantView.Render);
        });
    }
}
