using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Keys;

internal sealed class RevokeKeyCommand : Command
{
    private readonly Argument<string> _id = new("id") { Description = "The key's id (key_…), as keys list shows it." };

    public RevokeKeyCommand(CommandContext context)
        : base("revoke", "Revoke an API key; calls with it fail from now on.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_id);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var key = await connection.Keys.RevokeAsync(result.GetRequiredValue(_id), cancellationToken);
            context.Output(result).Write(KeyView.From(key), KeyView.Render);
        });
    }
}
