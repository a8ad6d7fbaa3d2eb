using System.CommandLine;
using AgentCluster.Client.Commands.Secrets;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Grants;

internal sealed class RequestGrantCommand : Command
{
    private readonly Option<string> _session = new("--session")
    {
        Description = "The session the token is for (ses_…); only its traffic can use it.",
        HelpName = "id",
        Required = true,
    };

    private readonly Option<string> _resource = new("--resource")
    {
        Description = "The resource, as its secret is stored, e.g. stripe.",
        HelpName = "name",
        Required = true,
    };

    private readonly Option<string> _action = new("--action")
    {
        Description = "read, write or delete; the session's policy must allow it.",
        HelpName = "action",
        Required = true,
    };

    private readonly Option<TimeSpan?> _ttl = DurationOption.Create("--ttl", "How long the token is valid, e.g. 60s (default: the session's maximum grant TTL).");

    public RequestGrantCommand(CommandContext context)
        : base("request", "Mint a stub token for a session; it is printed once. Any refusal is PermissionDenied: credential_unavailable.")
    {
        ArgumentNullException.ThrowIfNull(context);
        SecretOptions.AcceptOnlyActions(_action);
        Add(_session);
        Add(_resource);
        Add(_action);
        Add(_ttl);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var grant = await connection.Grants.RequestAsync(
                result.GetRequiredValue(_session),
                result.GetRequiredValue(_resource),
                result.GetRequiredValue(_action),
                result.GetValue(_ttl),
                cancellationToken);
            context.Output(result).Write(IssuedGrantView.From(grant), IssuedGrantView.Render);
        });
    }
}
