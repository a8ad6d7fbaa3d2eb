using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Sessions;

/// <summary><c>session act ID ACTION [VALUES…]</c>: one input action on a desktop session, through its approval gate.</summary>
internal sealed class ActCommand : Command, IConcealsTokens
{
    private readonly Argument<string> _id = new("id") { Description = "The desktop session's id (ses_…)." };

    private readonly Argument<string> _action = new("action")
    {
        Description = "click, move, drag, scroll, type, key, navigate, wait or cursor.",
    };

    private readonly Argument<string[]> _values = new("values")
    {
        Description = "The action's values: click [X Y], move X Y, drag X Y TO_X TO_Y, scroll X Y DX DY (wheel steps), "
            + "type TEXT, key COMBO (e.g. ctrl+l), navigate URL, wait MS.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly Option<string?> _button = new("--button")
    {
        Description = "For click: left (default), right, middle, double or triple.",
        HelpName = "button",
    };

    public ActCommand(CommandContext context)
        : base("act", "Carry out one input action on a desktop session; one the gate holds waits for its approval (denied: exit 4).")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_id);
        Add(_action);
        Add(_values);
        Add(_button);
        SetAction(async (result, cancellationToken) =>
        {
            var input = ActArguments.Parse(result.GetRequiredValue(_action), result.GetValue(_values) ?? [], result.GetValue(_button));
            using var connection = context.Connect(result);
            ProgressLine? waiting = null;
            try
            {
                var done = await connection.Computer.ActAsync(result.GetRequiredValue(_id), input,
                    approval => waiting = context.Progress(result, $"held for approval {approval}; waiting for a decision …"), cancellationToken);
                context.Output(result).Write(ActView.From(done), ActView.Render);
            }
            finally
            {
                waiting?.Dispose();
            }
        });
    }

    /// <summary>Typed text may be a secret: an error line never echoes it (read raw: the line may not have parsed).</summary>
    public IEnumerable<string> TokensToConceal(ParseResult result) =>
        result.GetResult(_action)?.Tokens is [{ Value: "type" }] ? result.GetResult(_values)?.Tokens.Select(t => t.Value) ?? [] : [];
}
