using System.CommandLine;

namespace AgentCluster.Client.Commands.Sessions;

internal sealed class SessionCommand : Command
{
    public SessionCommand(CommandContext context)
        : base("session", "Create, inspect, extend and kill agent sessions, change what they may reach, and see and act on a desktop session's screen: one hardened, ephemeral container each.")
    {
        Aliases.Add("sessions");
        Add(new CreateSessionCommand(context));
        Add(new GetSessionCommand(context));
        Add(new ListSessionsCommand(context));
        Add(new KillSessionCommand(context));
        Add(new ExtendSessionCommand(context));
        Add(new AllowHostCommand(context, allow: true));
        Add(new AllowHostCommand(context, allow: false));
        Add(new ScreenshotCommand(context));
        Add(new ActCommand(context));
    }
}
