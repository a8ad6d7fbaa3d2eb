using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using AgentCluster.Tests.Integration.Silo;
using Grpc.Core;

namespace AgentCluster.Tests.Integration.Client.Cli;

/// <summary>
/// Where a new user used to stall, through the built agentctl against a real node: each answer says what
/// went wrong and what to do, with its exit code, and a refusal changes nothing.
/// </summary>
public sealed class FirstHourMessagesTests(SqliteNodeFixture node) : IClassFixture<SqliteNodeFixture>
{
    [Fact]
    public async Task A_cluster_admin_creating_a_session_without_a_tenant_is_told_to_name_one()
    {
        var run = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.AdminKey,
            "session", "create", "--image", "agentcluster/sandbox:local", "--ttl", "5m");

        Assert.Equal((2, ""), (run.ExitCode, run.Stdout));
        Assert.Equal("agentctl: InvalidArgument: the system tenant runs no sessions: a cluster-admin key names the session's tenant (agentctl: --tenant NAME)",
            run.Stderr.Trim());
    }

    [Theory]
    [InlineData("verify", "nosuch")]
    [InlineData("tail", "acem")]
    [InlineData("head", "nosuch")]
    [InlineData("export", "nosuch")]
    public async Task The_audit_of_a_tenant_that_does_not_exist_is_not_found(string command, string tenant)
    {
        var run = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.AdminKey, "audit", command, "--tenant", tenant);

        Assert.Equal((5, ""), (run.ExitCode, run.Stdout));
        Assert.Equal($"agentctl: NotFound: tenant {tenant} not found", run.Stderr.Trim());
    }

    [Fact]
    public async Task The_approvals_of_a_tenant_that_does_not_exist_are_not_found()
    {
        var run = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.AdminKey, "approvals", "list", "--tenant", "nosuch");

        Assert.Equal(5, run.ExitCode);
        Assert.Equal("agentctl: NotFound: tenant nosuch not found", run.Stderr.Trim());
    }

    [Fact]
    public async Task A_risk_override_below_the_floor_is_refused_when_set_and_nothing_changes()
    {
        var tenant = await NewTenant("fl");

        var run = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.AdminKey,
            "tenants", "update", tenant, "--risk", "stripe.charge=Reversible", "--risk", "browser.click=Irreversible");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("agentctl: InvalidArgument: stripe.charge=Reversible is below the admin's floor Irreversible: stripe.charge is "
            + "Irreversible by the admin's action table, and tenants may not lower it (it is not in AgentCluster:Approvals:TenantFloors)",
            run.Stderr.Trim());
        using var admin = node.Clients(node.AdminKey);
        Assert.Empty((await admin.Tenants.GetTenantAsync(new GetTenantRequest { Name = tenant })).RiskOverrides);

        var stricter = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.AdminKey, "tenants", "update", tenant, "--risk", "browser.click=Irreversible");
        Assert.True(stricter.ExitCode == 0, stricter.Stderr);
    }

    [Fact]
    public async Task The_admin_port_taken_for_the_api_is_named_with_the_port_that_is()
    {
        var run = await Agentctl.RunAsync(node.Silo.AdminEndpoint, node.AdminKey, "tenants", "list");

        Assert.Equal((2, ""), (run.ExitCode, run.Stdout));
        Assert.Equal($"agentctl: {node.Silo.AdminEndpoint} is not the gRPC API: it speaks HTTP/1.1 only, like the admin port "
            + $"(console, dashboard, /healthz). This node's API is {node.Silo.ApiEndpoint}: use --endpoint {node.Silo.ApiEndpoint}.",
            run.Stderr.Trim());
    }

    [Fact]
    public async Task Without_a_key_outside_the_checkout_it_says_where_it_looked()
    {
        var run = await Agentctl.RunAsync(node.Silo.ApiEndpoint, apiKey: null, "tenants", "list");

        Assert.Equal((3, ""), (run.ExitCode, run.Stdout));
        Assert.StartsWith("agentctl: Unauthenticated: no API key was found: no --api-key, AGENTCLUSTER_API_KEY is not set, and "
            + Path.Combine(Path.GetFullPath(Path.GetTempPath()), "data", "admin.key"), run.Stderr.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_that_never_answers_is_removed_and_a_second_remove_is_not_found()
    {
        var name = $"never-{Guid.NewGuid():N}"[..14];
        var added = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.AdminKey, "hosts", "add", name, "--endpoint", "unix:///nonexistent/docker.sock");
        Assert.True(added.ExitCode == 0, added.Stderr);

        var removed = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.AdminKey, "hosts", "remove", name);
        Assert.Equal((0, $"removed host {name} from the fleet"), (removed.ExitCode, removed.Stdout.Trim()));
        using var admin = node.Clients(node.AdminKey);
        Assert.DoesNotContain((await admin.Hosts.ListHostsAsync(new ListHostsRequest())).Hosts, h => h.Name == name);

        var again = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.AdminKey, "hosts", "remove", name);
        Assert.Equal((5, $"agentctl: NotFound: host {name} not found"), (again.ExitCode, again.Stderr.Trim()));
    }

    [Fact]
    public async Task A_host_running_a_session_is_not_removed_until_the_session_ends()
    {
        var tenant = await NewTenant("hb");
        var name = $"busy-{Guid.NewGuid():N}"[..14];
        using var admin = node.Clients(node.AdminKey);
        try
        {
            Assert.Equal(0, (await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.AdminKey, "hosts", "add", name, "--endpoint", DockerHosts.Endpoints[0])).ExitCode);
            await admin.WaitForHealthyHostsAsync(1);
            var session = await admin.Sessions.CreateSessionAsync(new CreateSessionRequest
            {
                Tenant = tenant, Image = DockerHosts.Image, Ttl = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMinutes(5)),
            });
            Assert.Equal(("Ready", name), (session.State, session.Host));

            var busy = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.AdminKey, "hosts", "remove", name);
            Assert.Equal((10, $"agentctl: FailedPrecondition: host {name} runs 1 live session(s): drain it (hosts drain {name}) and remove it once they have ended"),
                (busy.ExitCode, busy.Stderr.Trim()));
            var kept = Assert.Single((await admin.Hosts.ListHostsAsync(new ListHostsRequest())).Hosts, h => h.Name == name);
            Assert.Equal(("Healthy", false), (kept.Health, kept.Draining));

            await admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = session.Id });
            var removed = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.AdminKey, "hosts", "remove", name);
            Assert.True(removed.ExitCode == 0, removed.Stderr);
        }
        finally
        {
            await DockerHosts.RemoveAll($"agentcluster.tenant={tenant}");
        }
    }

    [Fact]
    public async Task Only_a_cluster_admin_removes_a_host()
    {
        var tenant = await NewTenant("hr");
        using var admin = node.Clients(node.AdminKey);
        var tenantAdmin = await admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = tenant, Roles = { "admin" } });

        var run = await Agentctl.RunAsync(node.Silo.ApiEndpoint, tenantAdmin.Secret, "hosts", "remove", "local");

        Assert.Equal((4, "agentctl: PermissionDenied: this call needs a cluster-admin key"), (run.ExitCode, run.Stderr.Trim()));
    }

    private async Task<string> NewTenant(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..14];
        using var admin = node.Clients(node.AdminKey);
        await admin.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = name });
        return name;
    }
}
