using AgentCluster.Grains.Fleet.Hosts;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class SharedCallsTests
{
    private readonly SharedCalls<int> _calls = new();

    [Fact]
    public async Task A_caller_while_one_is_under_way_shares_it_and_one_after_starts_anew()
    {
        var started = 0;
        var first = new TaskCompletionSource<int>();
        var one = _calls.Run("k", () => { started++; return first.Task; });
        var two = _calls.Run("k", () => { started++; return Task.FromResult(2); });

        Assert.Same(one, two);
        Assert.Same(one, _calls.UnderWay("k"));
        first.SetResult(1);
        Assert.Equal(1, await two);
        Assert.Null(_calls.UnderWay("k"));
        Assert.Equal(3, await _calls.Run("k", () => { started++; return Task.FromResult(3); }));
        Assert.Equal(2, started);
    }

    [Fact]
    public async Task A_call_that_finished_at_once_is_not_kept()
    {
        var done = _calls.Run("k", () => Task.FromResult(1));
        Assert.True(done.IsCompletedSuccessfully);
        Assert.Equal(1, await done);
        Assert.Null(_calls.UnderWay("k"));
    }

    [Fact]
    public async Task A_failed_call_fails_every_sharer_and_leaves()
    {
        var first = new TaskCompletionSource<int>();
        var one = _calls.Run("k", () => first.Task);
        var two = _calls.Run("k", () => Task.FromResult(2));
        first.SetException(new InvalidOperationException("engine down"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => one);
        await Assert.ThrowsAsync<InvalidOperationException>(() => two);
        Assert.Null(_calls.UnderWay("k"));
    }

    [Fact]
    public void Calls_of_different_keys_do_not_share()
    {
        var pending = new TaskCompletionSource<int>();
        Assert.NotSame(_calls.Run("a", () => pending.Task), _calls.Run("b", () => pending.Task));
    }
}
