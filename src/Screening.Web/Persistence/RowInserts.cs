using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Screening.Web.Persistence;

/// <summary>
/// Rows a command only ever adds and nothing reads back before they commit (its audit entries, its journal row, its
/// outbox rows), written by one INSERT statement in the command's savepoint instead of through the change tracker
/// (decision 0031): no snapshot, no change detection, no command batch to prepare. The table, the columns and each
/// value's conversion to the database come from the context's model, so the statement stores what SaveChanges would,
/// on SQLite and on PostgreSQL.
/// </summary>
public static class RowInserts
{
    /// <summary>Rows in one statement at most: well inside both databases' limits on a statement's parameters.</summary>
    private const int MaxParameters = 2000;

    private static readonly ConcurrentDictionary<(IModel Model, Type Type), Shape> Shapes = new();

    /// <summary>Inserts <paramref name="rows"/> (of any mapped entity types, in their order within each type) in one statement, on the context's connection and transaction.</summary>
    public static async Task InsertAsync(ScreeningDbContext db, IReadOnlyList<object> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var sql = new StringBuilder();
        var parameters = new List<DbParameter>();
        var helper = db.GetService<ISqlGenerationHelper>();
        // Only a factory of parameters of the right provider's kind.
        await using var maker = db.Database.GetDbConnection().CreateCommand();
        foreach (var group in rows.GroupBy(r => r.GetType()))
        {
            var shape = Shapes.GetOrAdd((db.Model, group.Key), static (key, h) => Shape.Of(key.Model, key.Type, h), helper);
            var first = true;
            foreach (var row in group)
            {
                if (parameters.Count + shape.Columns.Length > MaxParameters)
                {
                    await RunAsync(db, sql, parameters);
                    first = true;
                }

                sql.Append(first ? shape.Insert : ", ").Append('(');
                first = false;
                for (var i = 0; i < shape.Columns.Length; i++)
                {
                    var column = shape.Columns[i];
                    var name = "p" + parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    parameters.Add(column.Mapping.CreateParameter(maker, name, column.Value.GetClrValueUsingContainingEntity(row), column.Nullable));
                    sql.Append(i == 0 ? string.Empty : ", ").Append(helper.GenerateParameterNamePlaceholder(name));
                }

                sql.Append(')');
            }

            sql.Append(";\n");
        }

        await RunAsync(db, sql, parameters);
    }

    private static async Task RunAsync(ScreeningDbContext db, StringBuilder sql, List<DbParameter> parameters)
    {
        if (sql.Length == 0)
        {
            return;
        }

        // Through EF Core's raw SQL path: the context's transaction, its interceptors and logging, and no query to compile.
        await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters.Cast<object>(), CancellationToken.None);
        sql.Clear();
        parameters.Clear();
    }

    private sealed record Column(IClrPropertyGetter Value, RelationalTypeMapping Mapping, bool Nullable);

    /// <summary>An entity type's INSERT head (<c>INSERT INTO "T" ("A", "B") VALUES </c>) and its columns in that order.</summary>
    private sealed record Shape(string Insert, Column[] Columns)
    {
        public static Shape Of(IModel model, Type type, ISqlGenerationHelper helper)
        {
            var entity = model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not mapped.");
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var columns = entity.GetProperties()
                .Select(p => (Property: p, Name: p.GetColumnName(table)))
                .Where(c => c.Name is not null)
                .Select(c => (c.Name!, new Column(c.Property.GetGetter(), c.Property.GetRelationalTypeMapping(), c.Property.IsNullable)))
                .ToList();
            return new Shape(
                $"INSERT INTO {helper.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => helper.DelimitIdentifier(c.Item1)))}) VALUES ",
                [.. columns.Select(c => c.Item2)]);
        }
    }
}
