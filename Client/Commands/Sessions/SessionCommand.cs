using System.CommandLine;

namespace AgentCluster.Client.Commands.Sessions;

internal sealed class SessionCommand : Command
{
    public SessionCommand(CommandContext context)
        : base("session", "Create, inspect, extend and kill agent sessions, and change what they may reach: one hardened, ephemeral container each.")
    {
        Aliases.Add("sessions");
        Add(new CreateSessionCommand(context));
        Add(new GetSessionCommand(context));
        Add(new ListSessionsCommand(context));
        Add(new KillSessionCommand(context));
        Add(new ExtendSessionCommand(context));
        Add(new AllowHostCommand(context, allow: true));
        Add(new AllowHostCommand(context, allow: false));
    }
}
