namespace AgentCluster.Tests.Unit.Client;

/// <summary>Stdout for a run that never ends by itself: says when it has printed enough lines to stop it.</summary>
internal sealed class LineSignallingWriter(int lines) : StringWriter
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _written;

    public Task Reached => _reached.Task;

    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        if (Interlocked.Increment(ref _written) >= lines)
        {
            _reached.TrySetResult();
        }
    }
}
