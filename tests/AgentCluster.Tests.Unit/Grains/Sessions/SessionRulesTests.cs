using System.Collections.Immutable;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Sessions;
using AgentCluster.Grains.Tenants;

namespace AgentCluster.Tests.Unit.Grains.Sessions;

public sealed class SessionRulesTests
{
    private const string Id = "ses_0123456789abcdef0123456789abcdef";
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly TenantInfo Acme = new("acme", TenantQuotas.Default, Now);

    private static SessionRequest Request() => new("acme", "agentcluster/sandbox:local", TimeSpan.FromMinutes(10),
        SandboxSpec.DefaultMemoryBytes, SandboxSpec.DefaultPidsLimit, [], ImmutableDictionary<string, string>.Empty,
        null, "key_1", [], SessionRequest.DefaultMaxGrantTtl);

    private static IReadOnlyList<string> Errors(SessionRequest request, TenantInfo? tenant = null, SandboxLimits? limits = null) =>
        SessionRules.Errors(SessionRules.Canonical(request, (tenant ?? Acme).Quotas), tenant ?? Acme, new FleetOptions { Limits = limits ?? new SandboxLimits() }, Id, Now);

    [Fact]
    public void A_request_within_every_bound_is_allowed() => Assert.Empty(Errors(Request()));

    [Fact]
    public void A_ttl_that_is_not_positive_is_one_error_not_also_a_past_deadline()
    {
        Assert.Equal(["ttl must be more than 0"], Errors(Request() with { Ttl = TimeSpan.Zero }));
        Assert.Equal(["ttl must be more than 0"], Errors(Request() with { Ttl = TimeSpan.FromSeconds(-1) }));
    }

    [Fact]
    public void A_ttl_over_the_tenants_maximum_is_refused() =>
        Assert.Equal(["ttl 02:00:00 is over the tenant's maximum of 01:00:00"], Errors(Request() with { Ttl = TimeSpan.FromHours(2) }));

    [Theory]
    [InlineData("evil/miner:latest")]
    [InlineData("agentcluster/sandboxx")]
    [InlineData("xagentcluster/sandbox:local")]
    public void An_image_outside_the_tenants_patterns_is_refused(string image) =>
        Assert.Equal([$"image {image} is not allowed for tenant acme"], Errors(Request() with { Image = image }));

    [Fact]
    public void An_image_pattern_treats_only_the_star_as_special()
    {
        var dotted = Acme with { Quotas = TenantQuotas.Default with { AllowedImages = ["my.org/agent:*"] } };
        Assert.Empty(Errors(Request() with { Image = "my.org/agent:1" }, dotted));
        Assert.Single(Errors(Request() with { Image = "myXorg/agent:1" }, dotted));
    }

    [Fact]
    public void Negative_limits_are_named_and_so_is_the_fleet_bound_they_break()
    {
        var errors = Errors(Request() with { MemoryBytes = -1 });
        Assert.Equal("memory and pids must not be negative", errors[0]);
        Assert.Contains("memory -1 bytes is outside the allowed range 67108864-17179869184 bytes", errors);
    }

    [Fact]
    public void The_fleets_limits_are_the_ones_configured() =>
        Assert.Equal(["pids limit 256 is outside the allowed range 16-64"],
            Errors(Request(), limits: new SandboxLimits { MaxPids = 64 }));

    [Fact]
    public void Every_bad_allowlist_entry_is_named()
    {
        var errors = Errors(Request() with { AllowHosts = ["api.example.com", "not a host", "a.example.com:0"] });
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.StartsWith("allow-host ", e, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("allow-host not a host is not a host name or host:port (", StringComparison.Ordinal));
    }

    [Fact]
    public void Canonical_spells_each_entry_once_and_keeps_a_bad_one_as_given()
    {
        var request = SessionRules.Canonical(Request() with
        {
            AllowHosts = ["API.Example.com.", "api.example.com", "not a host"],
            AllowGrants = [" Stripe:Read", "stripe:read"],
        }, Acme.Quotas);
        Assert.Equal(["api.example.com", "not a host"], request.AllowHosts.ToArray());
        Assert.Equal(["stripe:read"], request.AllowGrants.ToArray());
    }

    [Theory]
    [InlineData("stripe")]
    [InlineData("stripe:admin")]
    [InlineData("-stripe:read")]
    public void A_grant_that_is_not_resource_action_is_refused(string grant) =>
        Assert.Equal([$"allow-grant {grant} is not resource:read|write|delete"], Errors(Request() with { AllowGrants = [grant] }));

    [Fact]
    public void A_grant_outside_the_tenants_allowed_grants_is_refused() =>
        Assert.Equal(["allow-grant stripe:write is outside the tenant's allowed grants"],
            Errors(Request() with { AllowGrants = ["stripe:read", "stripe:write"] }));

    [Theory]
    [InlineData(0)]
    [InlineData(301)]
    public void A_max_grant_ttl_outside_the_ceiling_is_refused(int seconds) =>
        Assert.Equal(["max grant ttl must be more than 0 and at most 300s"],
            Errors(Request() with { MaxGrantTtl = TimeSpan.FromSeconds(seconds) }));

    [Fact]
    public void A_max_grant_ttl_over_the_tenants_limit_is_refused()
    {
        var strict = Acme with { Quotas = TenantQuotas.Default with { MaxGrantTtl = TimeSpan.FromSeconds(30) } };
        Assert.Equal(["max grant ttl is over the tenant's limit of 30s"],
            Errors(Request() with { MaxGrantTtl = TimeSpan.FromSeconds(120) }, strict));
    }

    [Fact]
    public void An_idle_timeout_must_be_positive() =>
        Assert.Equal(["idle timeout must be more than 0"], Errors(Request() with { IdleTimeout = TimeSpan.Zero }));

    [Fact]
    public void Every_broken_rule_is_reported_at_once() =>
        Assert.Equal(3, Errors(Request() with { Image = "evil/miner", IdleTimeout = TimeSpan.Zero, AllowGrants = ["x"] }).Count);

    [Fact]
    public void The_sandbox_is_what_the_request_asked_for_with_the_default_tmpfs()
    {
        var spec = SessionRules.Sandbox(Id, Request() with { MemoryBytes = 128 * SandboxSpec.MiB }, Now, desktop: false);
        Assert.Equal((Id, "acme", 128 * SandboxSpec.MiB, SandboxSpec.DefaultTmpSizeBytes, Now), (spec.SessionId, spec.Tenant, spec.MemoryBytes, spec.TmpSizeBytes, spec.Deadline));
        Assert.Null(spec.Proxy);
        Assert.False(spec.Desktop);
        Assert.Equal(SandboxSpec.DefaultPidsLimit, spec.PidsLimit);
    }

    [Theory]
    [InlineData(256, 1024)]
    [InlineData(2048, 2048)]
    public void A_desktop_sandbox_has_the_desktop_settings_and_at_least_a_browsers_pids(long asked, long given)
    {
        var spec = SessionRules.Sandbox(Id, Request() with { PidsLimit = asked }, Now, desktop: true);
        Assert.True(spec.Desktop);
        Assert.Equal(given, spec.PidsLimit);
    }

    [Fact]
    public void A_desktop_is_checked_with_its_raised_pids_limit()
    {
        var tenant = Acme with { Quotas = Acme.Quotas with { AllowedImages = ["agentcluster/*"] } };
        var request = SessionRules.Canonical(Request() with { Image = "agentcluster/desktop:local" }, tenant.Quotas);
        Assert.Equal(["pids limit 1024 is outside the allowed range 16-512"],
            SessionRules.Errors(request, tenant, new FleetOptions { Limits = new SandboxLimits { MaxPids = 512 } }, Id, Now));
    }

    [Fact]
    public void An_extension_needs_a_positive_ttl()
    {
        Assert.Empty(SessionRules.ExtendErrors(TimeSpan.FromSeconds(1)));
        Assert.Equal(["ttl must be more than 0"], SessionRules.ExtendErrors(TimeSpan.Zero));
        Assert.Equal(["ttl must be more than 0"], SessionRules.ExtendErrors(TimeSpan.FromSeconds(-5)));
    }

    [Fact]
    public void An_allowlist_change_names_at_least_one_host_and_every_bad_entry_of_either_list()
    {
        Assert.Empty(SessionRules.AllowlistChangeErrors(["api.example.com"], []));
        Assert.Empty(SessionRules.AllowlistChangeErrors([], ["api.example.com:443"]));
        Assert.Equal(["name at least one host to allow or deny"], SessionRules.AllowlistChangeErrors([], []));
        var errors = SessionRules.AllowlistChangeErrors(["ok.example.com", "a.example.com:0"], ["*.com"]);
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("allow-host a.example.com:0 is not a host name or host:port", errors[0]);
        Assert.StartsWith("allow-host *.com is not a host name or host:port", errors[1]);
    }

    [Fact]
    public void An_ended_session_says_how_it_ended() =>
        Assert.Equal($"session {Id} has ended (Lost)", SessionRules.Ended(Id, SessionStatus.Lost));

    [Fact]
    public void A_session_that_asks_no_cpu_gets_its_tenants_default_and_its_sandbox_that_quota()
    {
        var tenant = Acme with { Quotas = TenantQuotas.Default with { DefaultNanoCpus = 250_000_000, MaxNanoCpus = 500_000_000 } };
        var request = SessionRules.Canonical(Request(), tenant.Quotas);
        Assert.Equal(250_000_000, request.NanoCpus);
        Assert.Empty(Errors(Request(), tenant));
        Assert.Equal(250_000_000, SessionRules.Sandbox(Id, request, Now, desktop: false).NanoCpus);
        Assert.Equal(400_000_000, SessionRules.Sandbox(Id, SessionRules.Canonical(Request() with { NanoCpus = 400_000_000 }, tenant.Quotas), Now, desktop: false).NanoCpus);
    }

    [Fact]
    public void A_session_may_ask_less_cpu_than_its_tenants_maximum_but_not_more()
    {
        Assert.Empty(Errors(Request() with { NanoCpus = 500_000_000 }));
        Assert.Empty(Errors(Request() with { NanoCpus = TenantQuotas.DefaultMaxNanoCpus }));
        Assert.Equal(["cpus 2.5 is over the tenant's maximum of 2"], Errors(Request() with { NanoCpus = 2_500_000_000 }));
        Assert.Equal("cpus must not be negative", Errors(Request() with { NanoCpus = -1 })[0]);
    }

    [Fact]
    public void Cpu_below_what_docker_accepts_is_refused_by_the_fleets_bound() =>
        Assert.Equal(["cpu 1000 nano-CPUs is outside the allowed range 10000000-64000000000 nano-CPUs"],
            Errors(Request() with { NanoCpus = 1000 }));

    private static SessionRequest Desktop(string startUrl, params string[] allowHosts) => Request() with
    {
        Image = "agentcluster/desktop:local", StartUrl = startUrl, AllowHosts = [.. allowHosts],
    };

    private static readonly TenantInfo Desks = Acme with { Quotas = TenantQuotas.Default with { AllowedImages = ["agentcluster/*"] } };

    [Theory]
    [InlineData("https://shop.example/cart", "shop.example:443")]
    [InlineData("http://127.0.0.1:9/x", "127.0.0.1:9")]
    [InlineData("data:text/html,<h1>hi</h1>")]
    [InlineData("about:blank")]
    public void A_desktops_start_url_that_a_navigate_could_take_is_allowed(string url, params string[] allowHosts) =>
        Assert.Empty(Errors(Desktop(url, allowHosts), Desks));

    [Theory]
    [InlineData("https://shop.example/", "start url host shop.example:443 is not on the session's allowlist")]
    [InlineData("HTTPS://SHOP.example:8443/", "start url host shop.example:8443 is not on the session's allowlist")]
    [InlineData("http://127.0.0.1:9@shop.example/", "start url: an http(s) url must have no user name, password or backslash")]
    [InlineData("file:///etc/passwd", "start url: navigate takes http, https, data: or about:blank URLs, not file:")]
    [InlineData("javascript:alert(1)", "start url: navigate takes http, https, data: or about:blank URLs, not javascript:")]
    [InlineData("--remote-debugging-port=9222", "start url: url must be an absolute URL")]
    public void A_start_url_is_held_to_a_navigates_rules_and_the_sessions_allowlist(string url, string error) =>
        Assert.Equal([error], Errors(Desktop(url, "127.0.0.1:9"), Desks));

    [Fact]
    public void A_start_url_is_canonical_as_the_browser_will_get_it() =>
        Assert.Equal("https://shop.example/a?b=c", SessionRules.Canonical(Desktop("HTTPS://Shop.Example:443/a?b=c"), Desks.Quotas).StartUrl);

    [Fact]
    public void A_start_url_needs_a_desktop_image() =>
        Assert.Equal(["start url needs a desktop image (one of the fleet's DesktopImages): other images have no browser"],
            Errors(Request() with { StartUrl = "about:blank" }));

    [Fact]
    public void The_sandbox_spec_carries_a_desktops_start_url() =>
        Assert.Equal("about:blank", SessionRules.Sandbox(Id, Desktop("about:blank"), Now + TimeSpan.FromMinutes(10), desktop: true).StartUrl);
}
