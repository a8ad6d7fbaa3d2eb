using System.CommandLine;
using AgentCluster.Client.Output;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Commands.Hosts;

internal sealed class AddHostCommand : Command
{
    private readonly Argument<string> _name = new("name") { Description = "The host's name, e.g. local or docker-2." };

    // Here --endpoint is the Docker engine's address: it shadows the global option after 'add', so the API
    // address goes before it (agentctl --endpoint URL hosts add …) or in AGENTCLUSTER_ENDPOINT.
    private readonly Option<string> _endpoint = new("--endpoint")
    {
        Description = "The Docker engine: unix:///path.sock or tcp://host:2376. (The API address goes before 'hosts' here.)",
        HelpName = "docker-url",
        Required = true,
    };

    private readonly Option<string?> _tlsDir = new("--tls-dir")
    {
        Description = "For tcp: a folder on the silo's machine with ca.pem, cert.pem and key.pem.",
        HelpName = "dir",
    };

    private readonly Option<int?> _capacity = CountOption.Create("--capacity", "Sessions it may run at once (default: the server's).");

    private readonly Option<IReadOnlyDictionary<string, string>> _labels =
        LabelOption.Create("--label", "A label that sessions' --label placement can require; repeat for several.");

    public AddHostCommand(CommandContext context)
        : base("add", "Register a Docker host, or update the one of that name.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_name);
        Add(_endpoint);
        Add(_tlsDir);
        Add(_capacity);
        Add(_labels);
        SetAction(async (result, cancellationToken) =>
        {
            var host = new NewHost(result.GetRequiredValue(_name), result.GetRequiredValue(_endpoint))
            {
                TlsDirectory = result.GetValue(_tlsDir),
                Capacity = result.GetValue(_capacity),
                Labels = result.GetRequiredValue(_labels),
            };
            using var connection = context.Connect(result);
            var added = await connection.Hosts.AddAsync(host, cancellationToken);
            context.Output(result).Write(HostView.From(added), HostView.Render);
        });
    }
}
