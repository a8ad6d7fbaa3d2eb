using System.Text.Json;
using Microsoft.Extensions.Options;

namespace AgentCluster.Grains.Approvals.Classification.Shell;

/// <summary><c>shell.exec</c> <c>{"command": "…"}</c>: Irreversible unless an admin rule allows it.</summary>
public sealed class ShellPayloadClassifier(IOptions<ClassificationOptions> options) : IPayloadClassifier
{
    public const string ActionName = "shell.exec";

    // Anything that makes a shell do more than split on blanks and run argv[0]: separators, pipes,
    // expansions, redirections, subshells, quoting and escapes, globs, history, comments, and
    // the Bourne shell's old pipe ^.
    private const string Metacharacters = ";|&$`><()\n\r\\'\"*?[]{}~#!^";

    private readonly List<ShellRule> _rules = options.Value.Shell.Allow;

    public string Action => ActionName;

    public ActionClassification Classify(JsonElement payload)
    {
        if (!PayloadFields.TryGetString(payload, "command", out var command))
            return PayloadFields.Malformed(ActionName, "command");
        if (command.Any(c => Metacharacters.Contains(c) || (char.IsControl(c) && c != '\t')))
            return ActionClassification.Irreversible($"{ActionName}: shell metacharacters");

        var argv = command.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (argv.Length == 0)
            return ActionClassification.Irreversible($"{ActionName}: empty command");

        var allowed = _rules.Where(r => Allows(r, command, argv)).Select(r => TenantOverrides.Defined(r.Risk)).ToList();
        return allowed.Count == 0
            ? ActionClassification.Irreversible($"{ActionName}: {PayloadFields.Quote(argv[0])} is not on the admin's allowlist")
            : new(allowed.Max(), $"{ActionName}: {PayloadFields.Quote(argv[0])} is allowed by an admin rule");
    }

    private static bool Allows(ShellRule rule, string command, string[] argv) =>
        rule.Command is { Length: > 0 } exact
            ? string.Equals(exact, command.Trim(' ', '\t'), StringComparison.Ordinal)
            : rule.Program is { Length: > 0 } program
              && string.Equals(program, argv[0], StringComparison.Ordinal)
              && argv.Skip(1).All(rule.Args.Contains);
}
