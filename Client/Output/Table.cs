using System.Text;

namespace AgentCluster.Client.Output;

/// <summary>Left-aligned columns separated by two spaces, header first; one row per line, always.</summary>
internal sealed class Table(params string[] headers)
{
    private const string Gap = "  ";
    private readonly List<string[]> _rows = [];

    public Table Add(params string?[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"expected {headers.Length} cells, got {cells.Length}", nameof(cells));
        }

        _rows.Add([.. cells.Select(Clean)]);
        return this;
    }

    public void WriteTo(TextWriter writer)
    {
        string[][] lines = [headers, .. _rows];
        var widths = headers.Select((_, c) => lines.Max(row => row[c].Length)).ToArray();
        foreach (var row in lines)
        {
            var line = new StringBuilder();
            for (var c = 0; c < row.Length; c++)
            {
                line.Append(row[c].PadRight(widths[c])).Append(c < row.Length - 1 ? Gap : string.Empty);
            }

            writer.WriteLine(line.ToString().TrimEnd());
        }
    }

    public override string ToString()
    {
        using var writer = new StringWriter();
        WriteTo(writer);
        return writer.ToString();
    }

    // Server-supplied text must not break the layout or smuggle terminal escape sequences.
    internal static string Clean(string? cell) =>
        string.IsNullOrEmpty(cell) ? "-" : new string([.. cell.Select(ch => char.IsControl(ch) ? ' ' : ch)]);
}
