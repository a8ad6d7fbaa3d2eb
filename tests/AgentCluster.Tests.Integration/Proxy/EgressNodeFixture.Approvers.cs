using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Integration.Proxy;

/// <summary>Approvers of the fixture's tenant, for the tests of requests the HTTP gate holds.</summary>
public partial class EgressNodeFixture
{
    /// <summary>An approver of the fixture's tenant, with the tenant's approval timeout set for this test.</summary>
    public async Task<ApiClients> Approver(TimeSpan timeout)
    {
        await Admin.Tenants.UpdateTenantAsync(new UpdateTenantRequest { Name = Tenant, ApprovalTimeout = Duration.FromTimeSpan(timeout) });
        var key = await Admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = Tenant, Roles = { "approver" } });
        return new ApiClients(Silo.ApiEndpoint, key.Secret);
    }

    /// <summary>The approval a held request of the session is waiting on.</summary>
    public static async Task<Approval> Pending(ApiClients approver, string session)
    {
        Approval? found = null;
        await Eventually.True(async () =>
        {
            found = (await approver.Approvals.ListApprovalsAsync(new ListApprovalsRequest())).Approvals.FirstOrDefault(a => a.Session == session);
            return found is not null;
        }, "a pending approval for the held request");
        return found!;
    }

    /// <summary>The tenant's audit rows, once one of them matches.</summary>
    public async Task<List<(string Kind, string Outcome, string Reason, string Detail)>> AuditRow(
        Func<(string Kind, string Outcome, string Reason, string Detail), bool> match, string what)
    {
        await Eventually.True(async () => (await BrokerAudit.Rows(DataDir, Tenant)).Any(match), what);
        return await BrokerAudit.Rows(DataDir, Tenant);
    }
}
