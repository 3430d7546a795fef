"""The board contract on the folder board, plus what only a folder can show."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

import pins
from pins.boards.folder import FolderBoard
from pins.errors import PinsMetadataError, PinsNameError
from pins.testing.contract import BoardContract


class TestFolderBoardContract(BoardContract):
    @pytest.fixture
    def board(self, tmp_path: Path) -> FolderBoard:
        return pins.board_folder(tmp_path / "board")
