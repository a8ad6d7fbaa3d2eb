namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>Work on many items, at most so many at once.</summary>
public static class Window
{
    /// <summary>A window, not batches: one slow item must not hold up those after it.</summary>
    public static async Task Run<T>(IEnumerable<T> items, int width, Func<T, Task> work)
    {
        var running = new List<Task>();
        foreach (var item in items)
        {
            if (running.Count == width)
                running.Remove(await Task.WhenAny(running));
            running.Add(work(item));
        }
        await Task.WhenAll(running);
    }
}
