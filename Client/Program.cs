using AgentCluster.Client.Cli;

using var cancellation = new CancellationTokenSource();

// The first Ctrl+C cancels the call in flight so the run still ends with its one stderr line;
// a second one is not intercepted and ends the process the usual way.
Console.CancelKeyPress += (_, e) =>
{
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};

return await AgentCtl.RunAsync(args, Console.Out, Console.Error, CliEnvironment.FromProcess(), cancellation.Token);
