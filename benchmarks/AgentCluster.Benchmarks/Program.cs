using AgentCluster.Benchmarks.Audit;

// Benchmarks are run by hand or by benchmarks/run-*.sh, never as tests: they report ratios
// against a baseline measured in the same run, on this machine.
if (args is not ["audit", "--pg", var connectionString, ..])
{
    Console.Error.WriteLine("usage: AgentCluster.Benchmarks audit --pg <npgsql connection string> [--events N]");
    return 2;
}
var events = args.Length >= 5 && args[3] == "--events" && int.TryParse(args[4], out var n) ? n : 50_000;
await AuditBenchmark.RunAsync(connectionString, events);
return 0;
