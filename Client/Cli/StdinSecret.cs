using System.Text;
using AgentCluster.Client.Errors;

namespace AgentCluster.Client.Cli;

/// <summary>
/// Reads a secret value from stdin, the only place agentctl takes one from, so it never lands in shell history or
/// <c>ps</c>. Trailing newlines are dropped (<c>echo</c> and editors add one). No error message quotes any of it.
/// </summary>
internal static class StdinSecret
{
    /// <summary>Far above any API key or password; a longer stdin is most likely the wrong file.</summary>
    public const int MaxLength = 64 * 1024;

    // Room for the trailing newlines that are dropped anyway.
    private const int Slack = 16;

    public static async Task<string> ReadAsync(CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.StdinIsTerminal)
        {
            throw new UsageException(
                "--value-from-stdin reads a pipe or a file, not a terminal, where the value would show as it is typed: "
                + "e.g. agentctl secrets put … --value-from-stdin < stripe.key");
        }

        var buffer = new char[MaxLength + Slack + 1];
        try
        {
            var length = await ReadAsync(environment, buffer, cancellationToken);
            var value = length == buffer.Length ? null : new string(buffer, 0, length).TrimEnd('\r', '\n');
            if (value is null || value.Length > MaxLength)
            {
                throw new UsageException($"the value on stdin is longer than {MaxLength} characters");
            }

            return value.Length == 0
                ? throw new UsageException("the value on stdin is empty: pipe the secret in, e.g. --value-from-stdin < stripe.key")
                : value;
        }
        finally
        {
            Array.Clear(buffer);
        }
    }

    /// <summary>Fills <paramref name="buffer"/> from stdin until it is full or stdin ends; returns how much was read.</summary>
    private static async Task<int> ReadAsync(CliEnvironment environment, char[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        try
        {
            using var reader = environment.OpenStdin();
            int read;
            while (length < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }

            return length;
        }
        catch (DecoderFallbackException)
        {
            // Its own message quotes the offending bytes, which are part of the secret.
            throw new UsageException("the value on stdin is not valid UTF-8");
        }
    }
}
