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
        SetAction(async (result, cancellationToken) =>
        {
            var tenant = new NewTenant(result.GetRequiredValue(_name))
            {
                MaxSessions = result.GetValue(_maxSessions),
                MaxSessionTtl = result.GetValue(_maxTtl),
                AllowedImages = result.GetValue(_allowImages) ?? [],
                AllowedGrants = result.GetValue(_allowGrants) ?? [],
                MaxGrantTtl = result.GetValue(_maxGrantTtl),
            };
            using var connection = context.Connect(result);
            var created = await connection.Tenants.CreateAsync(tenant, cancellationToken);
            context.Output(result).Write(TenantView.From(created), TenantView.Render);
        });
    }
}
