using System.CommandLine;
using AgentCluster.Client.Commands.Actions;
using AgentCluster.Client.Commands.Approvals;
using AgentCluster.Client.Commands.Audit;
using AgentCluster.Client.Commands.Cluster;
using AgentCluster.Client.Commands.Grants;
using AgentCluster.Client.Commands.Hosts;
using AgentCluster.Client.Commands.Keys;
using AgentCluster.Client.Commands.Secrets;
using AgentCluster.Client.Commands.Sessions;
using AgentCluster.Client.Commands.Tenants;

namespace AgentCluster.Client.Commands;

/// <summary>The command tree of agentctl.</summary>
internal sealed class AgentCtlCommand : RootCommand
{
    public AgentCtlCommand(GlobalOptions options, CommandContext context)
        : base("agentctl: administer an AgentCluster control plane.")
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddTo(this);
        Add(new ClusterCommand(context));
        Add(new TenantsCommand(context));
        Add(new KeysCommand(context));
        Add(new AuditCommand(context));
        Add(new SessionCommand(context));
        Add(new HostsCommand(context));
        Add(new SecretsCommand(context));
        Add(new GrantCommand(context));
        Add(new ActionCommand(context));
        Add(new ApprovalsCommand(context));
    }
}
