using System.Text;
using AgentCluster.Api.V1;
using AgentCluster.Grains.Approvals;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Npgsql;

namespace AgentCluster.Tests.Integration.Grains.Approvals;

public sealed class ApprovalFailoverTests
{
    /// <summary>
    /// Two held actions; every silo hosting either is killed with SIGKILL. A decision made after the
    /// fail-over is honoured, and the other approval's deadline still fires with nobody calling it
    /// (the reminder backstop re-activates it on a survivor).
    /// </summary>
    [Fact]
    public async Task Approvals_and_their_deadlines_survive_kill_9_of_their_silos()
    {
        await using var cluster = await PostgresFleetCluster.StartAsync("af");
        using var admin = cluster.Admin();
        await admin.Tenants.UpdateTenantAsync(new UpdateTenantRequest { Name = cluster.Tenant, ApprovalTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)) });
        var approverKey = (await admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = cluster.Tenant, Roles = { "approver" } })).Secret;
        var session = await admin.Sessions.CreateSessionAsync(new CreateSessionRequest
        {
            Tenant = cluster.Tenant, Image = DockerHosts.Image, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)),
        });
        // Four approvals over three silos: two of them share one, and only that one is killed (killing
        // two of three would leave the survivor without the votes to declare them dead).
        var held = new List<(AuthorizeResponse Approval, SiloProcess Host)>();
        var grains = (await cluster.ClientAsync()).Grains;
        for (var i = 0; i < 4; i++)
        {
            var approval = await Authorize(admin, session.Id, $$"""{"amount": {{i + 1}}}""");
            held.Add((approval, await cluster.HostOf(grains.GetGrain<IApprovalGrain>(approval.ApprovalId))));
        }
        var pair = held.GroupBy(h => h.Host).First(g => g.Count() >= 2).Take(2).ToList();
        var (decided, expiring, victim) = (pair[0].Approval, pair[1].Approval, pair[0].Host);
        victim.Kill();
        var survivor = cluster.Silos.First(s => s != victim);

        using var approver = new ApiClients(survivor.ApiEndpoint, approverKey);
        Approval? approved = null;
        await Eventually(async () =>
        {
            try { approved = await approver.Approvals.ApproveAsync(new DecideRequest { Id = decided.ApprovalId, Note = "after failover" }); }
            catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.Unavailable) { return false; }
            return true;
        }, TimeSpan.FromSeconds(60));
        Assert.Equal("approved", approved!.Status);
        Assert.True(DateTime.UtcNow < decided.Deadline.ToDateTime(), "the fail-over took longer than the approval's deadline");

        // Nobody touches the other approval: only its reminder can close it.
        await Eventually(async () => await Expired(cluster.Db, cluster.Tenant, expiring.ApprovalId), TimeSpan.FromSeconds(150));
        Assert.True(DateTime.UtcNow >= expiring.Deadline.ToDateTime());
        var reread = await approver.Approvals.GetApprovalAsync(new GetApprovalRequest { Id = expiring.ApprovalId });
        Assert.Equal("expired", reread.Status);
        Assert.Equal("approved", (await approver.Approvals.GetApprovalAsync(new GetApprovalRequest { Id = decided.ApprovalId })).Status);
    }

    private static async Task<AuthorizeResponse> Authorize(ApiClients api, string session, string payload)
    {
        var held = await api.Actions.AuthorizeAsync(new AuthorizeRequest
        {
            Session = session, Action = "stripe.charge", Payload = ByteString.CopyFrom(Encoding.UTF8.GetBytes(payload)),
        });
        Assert.Equal("pending", held.Decision);
        return held;
    }

    private static async Task<bool> Expired(PostgresDatabase db, string tenant, string approvalId)
    {
        await using var connection = await db.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM agentcluster_audit WHERE tenant = @t AND kind = 'approval.decided' AND subject = @s AND outcome = 'expired'", connection);
        command.Parameters.AddWithValue("t", tenant);
        command.Parameters.AddWithValue("s", approvalId);
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    private static Task Eventually(Func<Task<bool>> condition, TimeSpan limit) =>
        Infrastructure.Eventually.True(condition, "the approval after the fail-over", limit);
}
