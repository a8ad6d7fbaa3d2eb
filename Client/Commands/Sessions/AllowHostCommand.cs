using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Sessions;

/// <summary><c>session allow ID --host H[:PORT]</c> and <c>session deny ID --host H[:PORT]</c>: one command, two directions.</summary>
internal sealed class AllowHostCommand : Command
{
    private readonly Argument<string> _id = new("id") { Description = "The session's id (ses_…)." };

    private readonly Option<string[]> _hosts;

    public AllowHostCommand(CommandContext context, bool allow)
        : base(allow ? "allow" : "deny", allow
            ? "Let a running session's egress reach a host (no port: 80 and 443)."
            : "Take a host off a running session's egress allowlist (no port: every port).")
    {
        ArgumentNullException.ThrowIfNull(context);
        _hosts = new Option<string[]>("--host")
        {
            Description = allow ? "host, host:port or *.suffix[:port]; repeatable." : "host or host:port; repeatable.",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        Add(_id);
        Add(_hosts);
        SetAction(async (result, cancellationToken) =>
        {
            var hosts = result.GetValue(_hosts) ?? [];
            using var connection = context.Connect(result);
            var session = await connection.Sessions.ChangeAllowHostsAsync(result.GetRequiredValue(_id),
                allow ? hosts : [], allow ? [] : hosts, cancellationToken);
            context.Output(result).Write(SessionView.From(session), SessionView.Render);
        });
    }
}
