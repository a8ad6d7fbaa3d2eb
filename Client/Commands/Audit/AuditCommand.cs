using System.CommandLine;

namespace AgentCluster.Client.Commands.Audit;

internal sealed class AuditCommand : Command
{
    public AuditCommand(CommandContext context)
        : base("audit", "Read, export and verify the tamper-evident audit log (auditor or admin key).")
    {
        Add(new AuditTailCommand(context));
        Add(new AuditExportCommand(context));
        Add(new AuditVerifyCommand(context));
        Add(new AuditHeadCommand(context));
    }
}
