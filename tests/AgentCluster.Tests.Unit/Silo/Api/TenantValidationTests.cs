using AgentCluster.Api.V1;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Api;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AgentCluster.Tests.Unit.Silo.Api;

public sealed class TenantValidationTests
{
    [Fact]
    public void Unset_quotas_take_the_safe_defaults()
    {
        var quotas = TenantApi.Validate(new CreateTenantRequest { Name = "acme" });
        Assert.Equal(TenantQuotas.DefaultMaxSessions, quotas.MaxSessions);
        Assert.Equal(TenantQuotas.DefaultMaxSessionTtl, quotas.MaxSessionTtl);
        Assert.Equal(["agentcluster/sandbox:*"], quotas.AllowedImages.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Acme")]
    [InlineData("-acme")]
    [InlineData("ac me")]
    [InlineData("system")]
    [InlineData("acme/../x")]
    public void Bad_names_are_InvalidArgument(string name)
    {
        var e = Assert.Throws<RpcException>(() => TenantApi.Validate(new CreateTenantRequest { Name = name }));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(60 * 60 * 24 + 1)]
    public void A_ttl_that_is_not_positive_or_over_a_day_is_InvalidArgument(int seconds)
    {
        var request = new CreateTenantRequest { Name = "acme", MaxSessionTtl = Duration.FromTimeSpan(TimeSpan.FromSeconds(seconds)) };
        Assert.Equal(StatusCode.InvalidArgument, Assert.Throws<RpcException>(() => TenantApi.Validate(request)).StatusCode);
    }

    [Fact]
    public void Negative_session_counts_and_blank_images_are_InvalidArgument()
    {
        Assert.Throws<RpcException>(() => TenantApi.Validate(new CreateTenantRequest { Name = "a", MaxSessions = -1 }));
        Assert.Throws<RpcException>(() => TenantApi.Validate(new CreateTenantRequest { Name = "a", AllowedImages = { " " } }));
    }
}
