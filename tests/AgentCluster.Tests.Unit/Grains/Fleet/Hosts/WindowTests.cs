using System.Collections.Concurrent;
using AgentCluster.Grains.Fleet.Hosts;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class WindowTests
{
    [Fact]
    public async Task At_most_the_width_run_at_once_and_a_slow_one_does_not_hold_up_the_rest()
    {
        var gates = Enumerable.Range(0, 6).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var started = new ConcurrentQueue<int>();

        var all = Window.Run(Enumerable.Range(0, 6), 3, i =>
        {
            started.Enqueue(i);
            return gates[i].Task;
        });

        Assert.Equal([0, 1, 2], started);
        gates[1].SetResult();
        await Until(() => started.Count == 4);
        Assert.Equal([0, 1, 2, 3], started);
        // The first is still under way: the window slides past it.
        gates[2].SetResult();
        gates[3].SetResult();
        await Until(() => started.Count == 6);
        Assert.False(all.IsCompleted);
        foreach (var gate in gates)
            gate.TrySetResult();
        await all;
    }

    private static async Task Until(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 10)
        {
            Assert.True(waited < 5_000, "timed out");
            await Task.Delay(10);
        }
    }
}
