using System.CommandLine;
using AgentCluster.Client.Errors;
using AgentCluster.Client.Output;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Commands.Sessions;

internal sealed class CreateSessionCommand : Command
{
    private readonly Option<string?> _tenant = new("--tenant")
    {
        Description = "Tenant to run it for (a tenant's key always uses its own; a cluster-admin key must name one).",
        HelpName = "name",
    };

    private readonly Option<string> _image = new("--image")
    {
        Description = "Container image, one the tenant allows.",
        HelpName = "image",
        Required = true,
    };

    private readonly Option<TimeSpan?> _ttl = DurationOption.Create("--ttl", "How long it may live, e.g. 10m; it is hard-killed at the deadline.");

    private readonly Option<long?> _memory = SizeOption.Create("--memory", "Memory limit, e.g. 512m or 2g (default: the server's, 2g).");

    private readonly Option<int?> _pids = CountOption.Create("--pids", "Process limit (default: the server's, 256).");

    private readonly Option<long?> _cpus = CpuOption.Create("--cpus", "CPUs, e.g. 0.5 (default: the tenant's; more than its max cpus is refused).");

    private readonly Option<string[]> _allowHosts = new("--allow-host")
    {
        Description = "host or host:port the egress proxy lets it reach; repeat for several.",
        HelpName = "host[:port]",
    };

    private readonly Option<IReadOnlyDictionary<string, string>> _labels =
        LabelOption.Create("--label", "Place it only on a Docker host carrying this label; repeat for several.");

    private readonly Option<TimeSpan?> _idleTimeout = DurationOption.Create("--idle-timeout", "End it after this long without activity, e.g. 2m.");

    private readonly Option<string[]> _allowGrants =
        AllowGrantOption.Create("--allow-grant", "resource:action it may ask grants for, e.g. stripe:read (action read, write or delete); repeat for several.");

    private readonly Option<TimeSpan?> _maxGrantTtl =
        DurationOption.Create("--max-grant-ttl", "The longest grant it may get, e.g. 120s (default: the server's, 60s; at most 300s).");

    private readonly Option<bool?> _inspectTls = new("--inspect-tls")
    {
        Description = "true: the proxy terminates TLS for every allowlisted HTTPS host, so the approval gate sees every request "
            + "(default: true for a desktop image, false otherwise).",
        HelpName = "true|false",
    };

    private readonly Option<string?> _startUrl = new("--start-url")
    {
        Description = "A desktop session's first page: its browser starts on it (checked against --allow-host as a navigate is).",
        HelpName = "url",
    };

    public CreateSessionCommand(CommandContext context)
        : base("create", "Start a session and wait until it is Ready (exit 1 with the reason if it Failed).")
    {
        ArgumentNullException.ThrowIfNull(context);
        _ttl.Required = true;
        Add(_tenant);
        Add(_image);
        Add(_ttl);
        Add(_memory);
        Add(_pids);
        Add(_cpus);
        Add(_allowHosts);
        Add(_labels);
        Add(_idleTimeout);
        Add(_allowGrants);
        Add(_maxGrantTtl);
        Add(_inspectTls);
        Add(_startUrl);
        SetAction(async (result, cancellationToken) =>
        {
            var session = new NewSession(result.GetRequiredValue(_image), result.GetValue(_ttl)!.Value)
            {
                Tenant = result.GetValue(_tenant),
                MemoryBytes = result.GetValue(_memory),
                PidsLimit = result.GetValue(_pids),
                NanoCpus = result.GetValue(_cpus),
                AllowHosts = result.GetValue(_allowHosts) ?? [],
                HostLabels = result.GetRequiredValue(_labels),
                IdleTimeout = result.GetValue(_idleTimeout),
                AllowGrants = result.GetRequiredValue(_allowGrants),
                MaxGrantTtl = result.GetValue(_maxGrantTtl),
                InspectTls = result.GetValue(_inspectTls),
                StartUrl = result.GetValue(_startUrl),
            };
            using var connection = context.Connect(result);
            SessionInfo created;
            using (context.Progress(result, "creating session …"))
            {
                created = await connection.Sessions.CreateAsync(session, cancellationToken);
            }

            context.Output(result).Write(SessionView.From(created), SessionView.Render);
            if (created.State != SessionStates.Ready)
            {
                throw new SessionFailedException(SessionFailedException.Describe(created));
            }
        });
    }
}
