using Screening.Web.Hosting;

namespace Screening.Web.Cases;

/// <summary>Checks paging parameters (cases and task queues alike).</summary>
public static class Paging
{
    /// <summary>Rows to skip, saturating instead of overflowing for absurd page numbers (which give an empty page).</summary>
    public static int Offset(int page, int pageSize) => (int)Math.Min(int.MaxValue, ((long)page - 1) * pageSize);

    public static void Validate(int page, int pageSize, int maxPageSize)
    {
        var errors = new Dictionary<string, string[]>();
        if (page < 1)
        {
            errors["page"] = ["The page starts at 1."];
        }

        if (pageSize < 1 || pageSize > maxPageSize)
        {
            errors["pageSize"] = [$"The page size must be from 1 to {maxPageSize}."];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }
}
