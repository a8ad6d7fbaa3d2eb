namespace AgentCluster.Grains.Fleet;

/// <summary>
/// Writes of a reentrant grain's state, one after another: two overlapping WriteStateAsync calls
/// would fail on the ETag.
/// </summary>
internal sealed class QueuedWrites(Func<Task> write)
{
    private Task _last = Task.CompletedTask;

    public Task Next()
    {
        _last = After(_last);
        return _last;
    }

    private async Task After(Task before)
    {
        try
        {
            await before;
        }
        catch
        {
            // Its own caller saw that failure; this write still goes ahead.
        }
        await write();
    }
}
