using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Keys;

internal sealed class CreateKeyCommand : Command
{
    private readonly Option<string> _tenant = new("--tenant")
    {
        Description = "Tenant the key belongs to.",
        HelpName = "name",
        Required = true,
    };

    private readonly Option<string[]> _roles = new("--role")
    {
        Description = "Role granted to the key; repeat for several.",
        HelpName = "role",
        Required = true,
    };

    public CreateKeyCommand(CommandContext context)
        : base("create", "Issue an API key; its secret is printed once and never again.")
    {
        ArgumentNullException.ThrowIfNull(context);
        _roles.AcceptOnlyFromAmong(Roles.All);
        Add(_tenant);
        Add(_roles);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var issued = await connection.Keys.CreateAsync(
                result.GetRequiredValue(_tenant),
                result.GetRequiredValue(_roles),
                cancellationToken);
            context.Output(result).Write(IssuedKeyView.From(issued), IssuedKeyView.Render);
        });
    }
}
