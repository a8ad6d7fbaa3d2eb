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

    [Fact]
    public void Unset_cpus_are_one_by_default_and_two_at_most_and_a_lower_ceiling_lowers_the_default()
    {
        var quotas = TenantApi.Validate(new CreateTenantRequest { Name = "acme" });
        Assert.Equal((1_000_000_000, 2_000_000_000), (quotas.DefaultNanoCpus, quotas.MaxNanoCpus));
        var small = TenantApi.Validate(new CreateTenantRequest { Name = "acme", MaxNanoCpus = 500_000_000 });
        Assert.Equal((500_000_000, 500_000_000), (small.DefaultNanoCpus, small.MaxNanoCpus));
    }

    [Theory]
    [InlineData(3_000_000_000, 2_000_000_000, "default cpus 3 is over max cpus 2")]
    [InlineData(-5, 0, "default cpus -0.000000005 must be between 0.01 and 64")]
    [InlineData(0, 65_000_000_000, "max cpus 65 must be between 0.01 and 64")]
    [InlineData(1_000, 0, "default cpus 0.000001 must be between 0.01 and 64")]
    public void Cpus_out_of_range_or_a_default_over_the_ceiling_are_InvalidArgument(long defaultCpus, long maxCpus, string message)
    {
        var e = Assert.Throws<RpcException>(() =>
            TenantApi.Validate(new CreateTenantRequest { Name = "acme", DefaultNanoCpus = defaultCpus, MaxNanoCpus = maxCpus }));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(message, e.Status.Detail);
    }
}
