using System.CommandLine;
using AgentCluster.Client.Errors;
using AgentCluster.Client.Output;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Commands.Audit;

internal sealed class AuditVerifyCommand : Command
{
    private const int NamedTenants = 5;

    private readonly Option<string?> _tenant = AuditOptions.Tenant("Tenant whose chain to verify (default: every tenant the key sees).");

    private readonly Option<string?> _anchor = AuditOptions.Anchor();

    public AuditVerifyCommand(CommandContext context)
        : base("verify", $"Recompute every hash of the audit chain here; exit {ExitCodes.AuditBroken} and name the first bad seq if it does not hold.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_tenant);
        Add(_anchor);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            AuditVerificationReport report;
            try
            {
                report = await connection.Audit.VerifyAsync(result.GetValue(_tenant), result.GetValue(_anchor), cancellationToken);
            }
            catch (AuditAnchorScopeException e)
            {
                throw new UsageException($"--anchor needs --tenant: this key sees {e.Tenants.Count} tenants ({Names(e.Tenants)})");
            }

            var view = AuditVerifyView.From(report);
            context.Output(result).Write(view, AuditVerifyView.Render);
            if (!view.Ok)
            {
                throw new AuditBrokenException(AuditVerifyView.BrokenMessage(view));
            }
        });
    }

    private static string Names(IReadOnlyList<string> tenants) =>
        string.Join(", ", tenants.Take(NamedTenants)) + (tenants.Count > NamedTenants ? ", …" : string.Empty);
}
