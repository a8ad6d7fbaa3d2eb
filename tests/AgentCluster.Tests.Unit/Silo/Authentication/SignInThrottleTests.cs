using System.Net;
using AgentCluster.Silo.Authentication;
using AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

namespace AgentCluster.Tests.Unit.Silo.Authentication;

public sealed class SignInThrottleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress Attacker = IPAddress.Parse("203.0.113.7");

    [Fact]
    public void An_address_gets_a_few_failures_then_nothing_until_the_oldest_ages_out()
    {
        var clock = new HandClock(T0);
        var throttle = new SignInThrottle(clock);
        for (var i = 0; i < SignInThrottle.MaxFailures; i++)
        {
            Assert.True(throttle.TryClaim(Attacker, out _), $"try {i + 1}");
            clock.Now += TimeSpan.FromSeconds(1);
        }
        Assert.False(throttle.TryClaim(Attacker, out var retryAfter));
        Assert.Equal(SignInThrottle.Window - TimeSpan.FromSeconds(SignInThrottle.MaxFailures), retryAfter);
        // Refusals do not count: they would otherwise push the wait out for ever.
        clock.Now = T0 + SignInThrottle.Window - TimeSpan.FromMilliseconds(1);
        Assert.False(throttle.TryClaim(Attacker, out _));
        clock.Now = T0 + SignInThrottle.Window;
        Assert.True(throttle.TryClaim(Attacker, out var none));
        Assert.Equal(TimeSpan.Zero, none);
        Assert.False(throttle.TryClaim(Attacker, out _));
    }

    [Fact]
    public void A_success_is_given_back_and_other_addresses_count_on_their_own()
    {
        var throttle = new SignInThrottle(new HandClock(T0));
        for (var i = 0; i < SignInThrottle.MaxFailures * 3; i++)
        {
            Assert.True(throttle.TryClaim(IPAddress.Loopback, out _), $"sign-in {i + 1}");
            throttle.Succeeded(IPAddress.Loopback);
        }
        for (var i = 0; i < SignInThrottle.MaxFailures; i++)
            Assert.True(throttle.TryClaim(Attacker, out _));
        Assert.False(throttle.TryClaim(Attacker, out _));
        Assert.True(throttle.TryClaim(IPAddress.Parse("203.0.113.8"), out _));
        Assert.True(throttle.TryClaim(IPAddress.Loopback, out _));
    }

    [Fact]
    public void Ipv6_addresses_count_by_their_64_and_mapped_ipv4_as_ipv4()
    {
        var throttle = new SignInThrottle(new HandClock(T0));
        for (var i = 0; i < SignInThrottle.MaxFailures; i++)
            Assert.True(throttle.TryClaim(IPAddress.Parse($"2001:db8:1:2::{i + 1:x}"), out _));
        Assert.False(throttle.TryClaim(IPAddress.Parse("2001:db8:1:2:ffff:ffff:ffff:ffff"), out _));
        Assert.True(throttle.TryClaim(IPAddress.Parse("2001:db8:1:3::1"), out _));

        Assert.Equal(SignInThrottle.Bucket(Attacker), SignInThrottle.Bucket(Attacker.MapToIPv6()));
        Assert.Equal("2001:db8:1:2::/64", SignInThrottle.Bucket(IPAddress.Parse("2001:db8:1:2:aaaa::1")));
    }
}
