using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Secrets;

internal sealed class RotateKeyCommand : Command
{
    public RotateKeyCommand(CommandContext context)
        : base("rotate-key", "Re-encrypt every secret under the vault's active key (cluster admin).")
    {
        ArgumentNullException.ThrowIfNull(context);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var rotation = await connection.Secrets.RotateKeyAsync(cancellationToken);
            context.Output(result).Write(KeyRotationView.From(rotation), KeyRotationView.Render);
        });
    }
}
