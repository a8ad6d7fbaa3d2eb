using AgentCluster.Grains.SignIns;

namespace AgentCluster.Tests.Cluster.Grains.SignIns;

[Collection(ClusterCollection.Name)]
public sealed class ConsoleSignInGrainTests(ClusterFixture fixture)
{
    private static ConsoleSignIn SignIn(TimeSpan life, TimeSpan? idle = null)
    {
        var now = DateTimeOffset.UtcNow;
        return new(new string('a', 64), "key_aaaaaaaaaaaaaaaa", "gamma", ConsoleSignInTokens.New(), now, now + life, idle ?? ConsoleSignIn.DefaultIdleTimeout);
    }

    private IConsoleSignInGrain NewGrain() => fixture.Grains.GetGrain<IConsoleSignInGrain>(ConsoleSignInTokens.Hash(ConsoleSignInTokens.New()));

    [Fact]
    public async Task An_open_sign_in_answers_with_its_key_and_token_is_never_opened_twice_and_is_gone_once_forgotten()
    {
        var grain = NewGrain();
        var signIn = SignIn(TimeSpan.FromHours(8));
        Assert.True(await grain.Open(signIn));
        Assert.False(await grain.Open(SignIn(TimeSpan.FromHours(8)) with { KeyId = "key_bbbbbbbbbbbbbbbb" }));

        var checkedIn = await grain.Check();
        Assert.Equal(signIn, checkedIn);
        Assert.Equal(signIn.AntiForgery, checkedIn!.AntiForgery);

        Assert.True(await grain.Forget());
        Assert.Null(await grain.Check());
        Assert.Null(await grain.Peek());
        Assert.False(await grain.Forget());
    }

    [Fact]
    public async Task A_sign_in_past_its_expiry_is_refused_and_forgotten()
    {
        var grain = NewGrain();
        Assert.True(await grain.Open(SignIn(TimeSpan.FromSeconds(-1))));
        Assert.Null(await grain.Check());
        Assert.Null(await grain.Peek());
    }

    [Fact]
    public async Task A_sign_in_unused_past_its_idle_limit_is_refused_though_its_expiry_is_hours_away()
    {
        var grain = NewGrain();
        Assert.True(await grain.Open(SignIn(TimeSpan.FromHours(8), idle: TimeSpan.FromSeconds(-1))));
        Assert.Null(await grain.Check());
        Assert.Null(await grain.Peek());
    }

    [Fact]
    public async Task Its_timer_forgets_it_at_its_expiry_with_nobody_asking()
    {
        var grain = NewGrain();
        Assert.True(await grain.Open(SignIn(TimeSpan.FromSeconds(2))));
        Assert.NotNull(await grain.Peek());

        // Only Peek from here on, which neither uses nor ends a sign-in: what clears it is the grain's own timer.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await grain.Peek() is not null)
        {
            Assert.True(DateTime.UtcNow < until, "the sign-in was still stored a minute after its expiry");
            await Task.Delay(200);
        }
        Assert.Null(await grain.Check());
    }

    [Fact]
    public async Task Its_timer_forgets_it_once_unused_for_its_idle_limit()
    {
        var grain = NewGrain();
        Assert.True(await grain.Open(SignIn(TimeSpan.FromHours(8), idle: TimeSpan.FromSeconds(2))));

        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await grain.Peek() is not null)
        {
            Assert.True(DateTime.UtcNow < until, "the idle sign-in was still stored a minute after its idle limit");
            await Task.Delay(200);
        }
        Assert.Null(await grain.Check());
    }
}
