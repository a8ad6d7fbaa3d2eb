using System.CommandLine;
using System.Globalization;

namespace AgentCluster.Client.Commands;

/// <summary>
/// An option holding CPUs as Docker's <c>--cpus</c> spells them (<c>0.5</c>, <c>2</c>), given to the
/// API in billionths of a CPU; zero, negative or finer than a billionth is a usage error.
/// </summary>
internal static class CpuOption
{
    public static Option<long?> Create(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "cpus",
        CustomParser = result =>
        {
            var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (decimal.TryParse(token, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cpus)
                && cpus > 0 && cpus <= 1_000_000 && cpus * 1_000_000_000 == decimal.Truncate(cpus * 1_000_000_000))
            {
                return (long)(cpus * 1_000_000_000);
            }

            result.AddError($"invalid value '{token}' for {name}: expected a number of CPUs more than 0, e.g. 0.5 or 2");
            return null;
        },
    };

    /// <summary>Billionths of a CPU as CPUs again, for output.</summary>
    public static double Cpus(long nanoCpus) => nanoCpus / 1_000_000_000d;
}
