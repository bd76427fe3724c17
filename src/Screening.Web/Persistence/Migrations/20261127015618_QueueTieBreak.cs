using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Screening.Web.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class QueueTieBreak : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tasks_Assignee_Status_QueueOrder",
                table: "Tasks");

            migrationBuilder.DropIndex(
                name: "IX_Tasks_Status_Jurisdiction_Role_QueueOrder",
                table: "Tasks");

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_Assignee_Status_QueueOrder_CreatedAt",
                table: "Tasks",
                columns: new[] { "Assignee", "Status", "QueueOrder", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_Status_Jurisdiction_Role_QueueOrder_CreatedAt",
                table: "Tasks",
                columns: new[] { "Status", "Jurisdiction", "Role", "QueueOrder", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tasks_Assignee_Status_QueueOrder_CreatedAt",
                table: "Tasks");

            migrationBuilder.DropIndex(
                name: "IX_Tasks_Status_Jurisdiction_Role_QueueOrder_CreatedAt",
                table: "Tasks");

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_Assignee_Status_QueueOrder",
                table: "Tasks",
                columns: new[] { "Assignee", "Status", "QueueOrder" });

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_Status_Jurisdiction_Role_QueueOrder",
                table: "Tasks",
                columns: new[] { "Status", "Jurisdiction", "Role", "QueueOrder" });
        }
    }
}
