using System.Globalization;
using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Grpc.Core;

namespace AgentCluster.Tests.Integration.Grains.Sessions;

/// <summary>
/// CPU per session at the gRPC API: the tenant's default when a session asks for none, less when it
/// asks, refused above the tenant's ceiling, and the ceiling a cluster admin's alone; read back from
/// the container Docker runs.
/// </summary>
public sealed class SessionCpuTests(SessionNodeFixture node) : IClassFixture<SessionNodeFixture>
{
    private readonly string _tenant = $"cpu-{Guid.NewGuid():N}"[..14];

    private static async Task<long> NanoCpusOf(Session session)
    {
        var endpoint = DockerHosts.Endpoints[int.Parse(session.Host[1..], CultureInfo.InvariantCulture)];
        var (code, output) = await DockerHosts.Docker(endpoint, "inspect", "-f", "{{.HostConfig.NanoCpus}}", session.ContainerId);
        Assert.True(code == 0, output);
        return long.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }

    private CreateSessionRequest Request(long nanoCpus = 0)
    {
        var request = node.Request(TimeSpan.FromMinutes(5));
        (request.Tenant, request.NanoCpus) = (_tenant, nanoCpus);
        return request;
    }

    [Fact]
    public async Task A_session_gets_the_tenants_default_or_less_or_up_to_the_ceiling_and_more_is_invalid_with_nothing_created()
    {
        await node.Admin.Tenants.CreateTenantAsync(new CreateTenantRequest
        {
            Name = _tenant, AllowedImages = { "agentcluster/sandbox:*" }, DefaultNanoCpus = 250_000_000, MaxNanoCpus = 500_000_000,
        });
        try
        {
            var byDefault = await node.Admin.Sessions.CreateSessionAsync(Request());
            Assert.Equal(250_000_000, await NanoCpusOf(byDefault));
            var asked = await node.Admin.Sessions.CreateSessionAsync(Request(400_000_000));
            Assert.Equal(400_000_000, await NanoCpusOf(asked));

            var refused = await Assert.ThrowsAsync<RpcException>(() => node.Admin.Sessions.CreateSessionAsync(Request(600_000_000)).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
            Assert.Contains("cpus 0.6 is over the tenant's maximum of 0.5", refused.Status.Detail);
            Assert.Equal(2, await DockerHosts.CountEverywhere($"agentcluster.tenant={_tenant}"));

            var raised = await node.Admin.Tenants.UpdateTenantAsync(new UpdateTenantRequest { Name = _tenant, MaxNanoCpus = 1_000_000_000 });
            Assert.Equal((250_000_000, 1_000_000_000), (raised.Tenant.DefaultNanoCpus, raised.Tenant.MaxNanoCpus));
            Assert.Equal(600_000_000, await NanoCpusOf(await node.Admin.Sessions.CreateSessionAsync(Request(600_000_000))));
        }
        finally
        {
            await DockerHosts.RemoveAll($"agentcluster.tenant={_tenant}");
        }
    }

    [Fact]
    public async Task A_tenant_admin_moves_the_default_within_the_ceiling_but_cannot_change_the_ceiling()
    {
        await node.Admin.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = _tenant });
        var key = await node.Admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = _tenant, Roles = { "admin" } });
        using var tenantAdmin = new ApiClients(node.Silo.ApiEndpoint, key.Secret);

        var ceiling = await Assert.ThrowsAsync<RpcException>(() =>
            tenantAdmin.Tenants.UpdateTenantAsync(new UpdateTenantRequest { Name = _tenant, MaxNanoCpus = 8_000_000_000 }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, ceiling.StatusCode);
        var over = await Assert.ThrowsAsync<RpcException>(() =>
            tenantAdmin.Tenants.UpdateTenantAsync(new UpdateTenantRequest { Name = _tenant, DefaultNanoCpus = 3_000_000_000 }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, over.StatusCode);
        Assert.Contains("default cpus 3 is over max cpus 2", over.Status.Detail);

        var tenant = await tenantAdmin.Tenants.GetTenantAsync(new GetTenantRequest { Name = _tenant });
        Assert.Equal((1_000_000_000, 2_000_000_000), (tenant.DefaultNanoCpus, tenant.MaxNanoCpus));
        var moved = await tenantAdmin.Tenants.UpdateTenantAsync(new UpdateTenantRequest { Name = _tenant, DefaultNanoCpus = 1_500_000_000 });
        Assert.Equal((1_500_000_000, 2_000_000_000), (moved.Tenant.DefaultNanoCpus, moved.Tenant.MaxNanoCpus));
    }
}
