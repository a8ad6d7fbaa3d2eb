using System.Text;

namespace AgentCluster.Client.Output;

/// <summary>
/// A <see cref="Table"/> whose rows arrive one at a time (a follow): the header first, then each row as
/// it comes. Lines already printed cannot be re-aligned, so columns have fixed minimum widths instead.
/// </summary>
internal sealed class StreamingTable(TextWriter writer, params (string Header, int Width)[] columns)
{
    private const string Gap = "  ";

    public void WriteHeader() => WriteLine(columns.Select(c => c.Header).ToArray());

    public void Add(params string?[] cells)
    {
        if (cells.Length != columns.Length)
        {
            throw new ArgumentException($"expected {columns.Length} cells, got {cells.Length}", nameof(cells));
        }

        WriteLine([.. cells.Select(Table.Clean)]);
    }

    private void WriteLine(string[] cells)
    {
        var line = new StringBuilder();
        for (var c = 0; c < cells.Length; c++)
        {
            line.Append(cells[c].PadRight(columns[c].Width)).Append(c < cells.Length - 1 ? Gap : string.Empty);
        }

        writer.WriteLine(line.ToString().TrimEnd());
        writer.Flush();
    }
}
