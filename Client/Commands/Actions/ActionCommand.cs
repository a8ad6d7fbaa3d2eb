using System.CommandLine;

namespace AgentCluster.Client.Commands.Actions;

internal sealed class ActionCommand : Command
{
    public ActionCommand(CommandContext context)
        : base("action", "The approval gate, as an orchestrator uses it: authorize a tool call, wait for its decision, report its execution.")
    {
        Aliases.Add("actions");
        Add(new AuthorizeActionCommand(context));
        Add(new WaitActionCommand(context));
        Add(new CompleteActionCommand(context));
    }
}
